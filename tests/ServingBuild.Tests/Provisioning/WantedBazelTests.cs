using ServingBuild.Provisioning;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provisioning;

public class WantedBazelTests
{
    [Theory]
    [InlineData("ENV BAZEL_VERSION 7.4.1", "7.4.1")]
    [InlineData("ENV BAZEL_VERSION=6.5.0", "6.5.0")]
    [InlineData("  ENV BAZEL_VERSION \"5.3.0\"", "5.3.0")]
    public void Reads_ENV_BAZEL_VERSION_from_Dockerfile_devel(string line, string expected)
    {
        using var dir = new TempDir();
        dir.Write("tensorflow_serving/tools/docker/Dockerfile.devel", $"FROM ubuntu:20.04\nARG TF_SERVING_VERSION_GIT_BRANCH=master\n{line}\nRUN true\n");
        var answer = WantedBazel.Read(dir.Path);
        Assert.NotNull(answer);
        Assert.Equal(expected, answer!.Version);
        Assert.EndsWith("Dockerfile.devel", answer.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Bazelversion_wins_over_the_Dockerfile_and_nothing_pinned_gives_null()
    {
        using var dir = new TempDir();
        Assert.Null(WantedBazel.Read(dir.Path));
        dir.Write("tensorflow_serving/tools/docker/Dockerfile.devel", "ENV BAZEL_VERSION 7.4.1\n");
        dir.Write(".bazelversion", "6.1.0\n");
        Assert.Equal("6.1.0", WantedBazel.Read(dir.Path)!.Version);
    }

    [Fact]
    public void The_bundled_workspace_pins_no_Bazel()
    {
        Assert.Null(WantedBazel.Read(TestPaths.ServingMini));
    }
}
