using ServingBuild.BazelBuild;
using ServingBuild.Doctor;
using ServingBuild.Host;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>The one Bazel version reader: pre-releases read whole, compared as semantic versions, the same for Doctor and BazelBuild.</summary>
public sealed class BazelVersionTests
{
    [Theory]
    [InlineData("bazel 6.0.0-pre.20220414.2", "6.0.0-pre.20220414.2")]
    [InlineData("bazel 7.4.1\n", "7.4.1")]
    [InlineData("Build label: 0.5.1\nBuild target: bazel-out/...", "0.5.1")]
    [InlineData("bazel 7.0.0rc2", "7.0.0rc2")]
    [InlineData("bazel no_version", null)]
    public void A_version_line_is_read_whole(string output, string? expected) =>
        Assert.Equal(expected, BazelVersion.FromVersionOutput(output));

    [Fact]
    public void The_host_probe_facts_read_a_pre_release_as_BazelBuild_does()
    {
        var facts = HostFacts.Parse("probe=servingbuild-1\nbazel_path=/opt/b/bazel\nbazel_version=bazel 6.0.0-pre.20220414.2\n");
        Assert.Equal("6.0.0-pre.20220414.2", facts.BazelVersion);
        Assert.Equal(InstalledBazel.ParseVersionOutput("bazel 6.0.0-pre.20220414.2"), facts.BazelVersion);
    }

    [Fact]
    public void Doctor_finds_no_mismatch_where_BazelBuild_finds_none()
    {
        var facts = HostFacts.Parse("probe=servingbuild-1\nos.ID=debian\nbazel_path=/opt/b/bazel\nbazel_version=bazel 6.0.0-pre.20220414.2\n");
        var wanted = new WantedBazelVersion("6.0.0-pre.20220414.2", ".bazelversion");
        var report = DoctorReport.Build("this machine", facts, null, [], wanted, facts.BazelVersionLine, facts.BazelPath);
        var row = report.Rows.Single(r => r.Item == "bazel wanted");
        Assert.Equal("ok", row.Status);
        Assert.Contains("from .bazelversion", row.Detail, StringComparison.Ordinal);

        var other = DoctorReport.Build("this machine", facts, null, [], wanted with { Version = "6.0.0" }, facts.BazelVersionLine, facts.BazelPath);
        Assert.Equal("mismatch", other.Rows.Single(r => r.Item == "bazel wanted").Status);
        Assert.Contains("found 6.0.0-pre.20220414.2", other.Rows.Single(r => r.Item == "bazel wanted").Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7.4.1", "7.4.1", true)]
    [InlineData("7.4.1", "7.4.01", true)]
    [InlineData("6.0.0-pre.20220414.2", "6.0.0", false)]
    [InlineData("7.0.0rc2", "7.0.0-rc2", true)]
    [InlineData("no_version", "no_version", true)]
    public void Versions_compare_semantically(string a, string b, bool same) =>
        Assert.Equal(same, BazelVersion.AreSame(a, b));

    [Theory]
    [InlineData("0.5.1", "0.18.0", true)]
    [InlineData("0.15.0", "0.18.0", true)]
    [InlineData("0.20.0", "0.18.0", false)]
    [InlineData("6.0.0-pre.20220414.2", "6.0.0", true)]
    [InlineData("0.11.1", "0.5.4", false)]
    public void Order_is_numeric_not_textual(string version, string than, bool before) =>
        Assert.Equal(before, BazelVersion.IsBefore(version, than));
}
