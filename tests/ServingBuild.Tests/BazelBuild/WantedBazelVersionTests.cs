using ServingBuild.BazelBuild;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

public sealed class WantedBazelVersionTests
{
    [Fact]
    public void Reads_ENV_BAZEL_VERSION_from_Dockerfile_devel_as_upstream_pins_it()
    {
        using var dir = new TempDir();
        dir.Write(WantedBazelVersion.DockerfileRelative, "FROM ubuntu:20.04 as base_build\nARG TF_SERVING_VERSION_GIT_BRANCH=master\nENV BAZEL_VERSION=7.4.1\nWORKDIR /\n");
        var wanted = WantedBazelVersion.Read(dir.Path)!;
        Assert.Equal("7.4.1", wanted.Version);
        Assert.EndsWith("Dockerfile.devel:3", wanted.Source);
    }

    [Fact]
    public void Reads_the_older_space_separated_ENV_form()
    {
        using var dir = new TempDir();
        dir.Write(WantedBazelVersion.DockerfileRelative, "FROM ubuntu:16.04\nENV BAZEL_VERSION 0.24.1\n");
        Assert.Equal("0.24.1", WantedBazelVersion.Read(dir.Path)!.Version);
    }

    [Fact]
    public void Bazelversion_wins_over_the_Dockerfile()
    {
        using var dir = new TempDir();
        dir.Write(WantedBazelVersion.DockerfileRelative, "ENV BAZEL_VERSION=7.4.1\n");
        dir.Write(".bazelversion", "6.5.0\n");
        var wanted = WantedBazelVersion.Read(dir.Path)!;
        Assert.Equal("6.5.0", wanted.Version);
        Assert.EndsWith(".bazelversion", wanted.Source);
    }

    [Fact]
    public void A_checkout_pinning_nothing_gives_null()
    {
        using var dir = new TempDir();
        Assert.Null(WantedBazelVersion.Read(dir.Path));
    }

    [Fact]
    public void A_garbled_pin_names_file_and_line()
    {
        using var dir = new TempDir();
        dir.Write(WantedBazelVersion.DockerfileRelative, "FROM x\n\nENV BAZEL_VERSION=latest\n");
        var ex = Assert.Throws<BazelVersionFileException>(() => WantedBazelVersion.Read(dir.Path));
        Assert.Contains("Dockerfile.devel:3", ex.Message);
        Assert.Contains("'latest'", ex.Message);
    }

    [Fact]
    public void The_bundled_workspace_pins_what_Debians_bazel_bootstrap_is()
    {
        Assert.Equal("4.2.3", WantedBazelVersion.Read(TestPaths.ServingMini)!.Version);
    }

    [Theory]
    [InlineData("bazel 7.4.1\n", "7.4.1")]
    [InlineData("bazel 6.0.0-pre.20220414.2\n", "6.0.0-pre.20220414.2")]
    [InlineData("bazel no_version\n", null)]
    [InlineData("", null)]
    public void Parses_bazel_version_output(string output, string? expected)
    {
        Assert.Equal(expected, InstalledBazel.ParseVersionOutput(output));
    }

    [Theory]
    [InlineData("4.2.3+ds-9", "4.2.3")]
    [InlineData("1:5.3.2-1~bpo12+1", "5.3.2")]
    [InlineData("garbage", null)]
    public void Maps_a_Debian_package_version_to_the_upstream_release(string package, string? expected)
    {
        Assert.Equal(expected, InstalledBazel.UpstreamOfPackageVersion(package));
    }

    [Theory]
    [InlineData("load(\"//tensorflow_serving:workspace.bzl\", \"tf_serving_workspace\")\ncheck_version(\"0.4.2\")\n", "0.4.2", "check_version")]
    [InlineData("load(\"@org_tensorflow//tensorflow:version_check.bzl\", \"check_bazel_version_at_least\")\ncheck_bazel_version_at_least(\"0.24.1\")\n", "0.24.1", "check_bazel_version_at_least")]
    [InlineData("load(\"@bazel_skylib//lib:versions.bzl\", \"versions\")\nversions.check(\"7.4.1\")\n", "7.4.1", "versions.check")]
    [InlineData("versions.check(minimum_bazel_version = \"6.5.0\")\n", "6.5.0", "versions.check")]
    public void A_sparse_checkout_without_the_Dockerfile_reads_the_WORKSPACE_check(string workspace, string version, string call)
    {
        using var dir = new TempDir();
        dir.Write("WORKSPACE", "workspace(name = \"tf_serving\")\n# check_version(\"9.9.9\") in a comment is not a pin\n" + workspace);
        var wanted = WantedBazelVersion.Read(dir.Path)!;
        Assert.Equal(version, wanted.Version);
        var line = 2 + workspace.TrimEnd('\n').Split('\n').Length;
        Assert.Equal($"{Path.Combine(dir.Path, "WORKSPACE")}:{line} ({call})", wanted.Source);
    }

    [Fact]
    public void Bazelversion_wins_over_the_Dockerfile_which_wins_over_the_WORKSPACE()
    {
        using var dir = new TempDir();
        dir.Write("WORKSPACE", "check_bazel_version_at_least(\"0.20.0\")\n");
        Assert.Equal("0.20.0", WantedBazelVersion.Read(dir.Path)!.Version);
        dir.Write(WantedBazelVersion.DockerfileRelative, "ENV BAZEL_VERSION 0.24.1\n");
        Assert.Equal("0.24.1", WantedBazelVersion.Read(dir.Path)!.Version);
        dir.Write(".bazelversion", "6.0.0-pre.20220414.2\n");
        Assert.Equal("6.0.0-pre.20220414.2", WantedBazelVersion.Read(dir.Path)!.Version);
    }
}
