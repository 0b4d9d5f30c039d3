using ServingBuild.BazelBuild;
using ServingBuild.Provision;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// Every Bazel that a TensorFlow Serving release pins (FACTS.md: 17 versions, 0.4.2 to 7.4.1) resolves to an asset its
/// GitHub release has: the installer before 0.18.0 (0.4.x and 0.5.x have only installers), the plain binary from 0.18.0
/// on; the URL is built the same under GitHub and under a mirror, and the Provision step and --install-bazel agree.
/// </summary>
public sealed class BazelReleaseTableTests
{
    public static TheoryData<string, string> Pins => new()
    {
        { "0.4.2", "bazel-0.4.2-installer-linux-x86_64.sh" },
        { "0.4.5", "bazel-0.4.5-installer-linux-x86_64.sh" },
        { "0.5.1", "bazel-0.5.1-installer-linux-x86_64.sh" },
        { "0.5.4", "bazel-0.5.4-installer-linux-x86_64.sh" },
        { "0.11.1", "bazel-0.11.1-installer-linux-x86_64.sh" },
        { "0.15.0", "bazel-0.15.0-installer-linux-x86_64.sh" },
        { "0.20.0", "bazel-0.20.0-linux-x86_64" },
        { "0.24.1", "bazel-0.24.1-linux-x86_64" },
        { "2.0.0", "bazel-2.0.0-linux-x86_64" },
        { "3.0.0", "bazel-3.0.0-linux-x86_64" },
        { "3.7.2", "bazel-3.7.2-linux-x86_64" },
        { "5.1.1", "bazel-5.1.1-linux-x86_64" },
        { "5.3.0", "bazel-5.3.0-linux-x86_64" },
        { "6.1.0", "bazel-6.1.0-linux-x86_64" },
        { "6.4.0", "bazel-6.4.0-linux-x86_64" },
        { "6.5.0", "bazel-6.5.0-linux-x86_64" },
        { "7.4.1", "bazel-7.4.1-linux-x86_64" },
    };

    [Fact]
    public void The_table_holds_the_17_pins_of_upstream()
    {
        Assert.Equal(17, Pins.Count);
    }

    [Theory]
    [MemberData(nameof(Pins))]
    public void Each_pinned_version_resolves_to_an_asset_its_release_has(string version, string asset)
    {
        var release = BazelRelease.ForLinux(version, "x86_64");
        Assert.Equal(asset, release.FileName);
        Assert.Equal(asset.EndsWith(".sh", StringComparison.Ordinal) ? BazelAssetKind.Installer : BazelAssetKind.Binary, release.Kind);
        Assert.Equal($"https://github.com/bazelbuild/bazel/releases/download/{version}/{asset}", release.AssetUrl.ToString());
        Assert.Equal($"https://github.com/bazelbuild/bazel/releases/download/{version}/{asset}.sha256", release.ChecksumUrl.ToString());

        var mirrored = BazelRelease.ForLinux(version, "x86_64", "http://127.0.0.1:8080/bazel-releases/");
        Assert.Equal($"http://127.0.0.1:8080/bazel-releases/{version}/{asset}", mirrored.AssetUrl.ToString());
        Assert.Equal($"http://127.0.0.1:8080/bazel-releases/{version}/{asset}.sha256", mirrored.ChecksumUrl.ToString());

        // The Provision step (and so the emitted script) fetches the same asset into the same per-version folder.
        var step = BazelInstallStep.For(version, "x86_64", "http://127.0.0.1:8080/bazel-releases");
        Assert.Contains($"http://127.0.0.1:8080/bazel-releases/{version}/{asset}.sha256", step.Action, StringComparison.Ordinal);
        Assert.Contains($"/opt/servingbuild/bazel/{version}\"", step.Action, StringComparison.Ordinal);
        Assert.Equal(release.Kind == BazelAssetKind.Installer, step.Action.Contains($"bash \"$download/{asset}\" --prefix=\"$dir\"", StringComparison.Ordinal));
        Assert.Equal(release.NeedsJdk8, BazelInstallStep.Notes(version, "x86_64", jdk8Installed: true).Any(n => n.Contains("JDK 8", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_installer_era_has_no_arm64_release_and_says_so()
    {
        var ex = Assert.Throws<BazelDownloadException>(() => BazelRelease.ForLinux("0.5.1", "aarch64"));
        Assert.Contains("x86_64 only", ex.Message, StringComparison.Ordinal);
        Assert.Equal("bazel-7.4.1-linux-arm64", BazelRelease.ForLinux("7.4.1", "aarch64").FileName);
    }
}
