using ServingBuild.BazelBuild;
using ServingBuild.Provision;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

public class CentOs7PlanTests
{
    /// <summary>What a TensorFlow Serving 2.20.0 checkout asks for: Bazel 7.4.1 from Dockerfile.devel, C++17.</summary>
    internal static readonly PlanInputs Serving2200 = new()
    {
        Profile = PlanProfile.Build,
        WantedBazel = "7.4.1",
        NeedsModernCompiler = true,
        Architecture = "x86_64",
    };

    [Fact]
    public void The_CentOS_7_plan_for_serving_2_20_matches_the_golden_file()
    {
        var actual = CentOs7Plan.Create(Serving2200).Render();
        var golden = Path.Combine(TestPaths.Fixtures, "provisioning", "centos7-plan.txt");
        if (!File.Exists(golden) || File.ReadAllText(golden) != actual)
        {
            var written = Path.Combine(TestPaths.Root, "artifacts", "test-actual", "centos7-plan.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(written)!);
            File.WriteAllText(written, actual);
            var source = Path.Combine(TestPaths.Root, "tests", "ServingBuild.Tests", "Fixtures", "provisioning", "centos7-plan.txt");
            Assert.Fail($"the CentOS 7 plan differs from {source}; the actual plan is in {written} (review it, then copy it over the golden file)");
        }
    }

    [Fact]
    public void Vault_steps_come_first_and_go_away_with_skip_vault()
    {
        var plan = CentOs7Plan.Create(Serving2200);
        Assert.Equal("yum-vault", plan.Steps[0].Id);
        Assert.Contains(plan.Steps, s => s.Id == "scl-vault");
        Assert.True(plan.Steps.ToList().FindIndex(s => s.Id == "scl-release") < plan.Steps.ToList().FindIndex(s => s.Id == "scl-vault"));

        var skipped = CentOs7Plan.Create(Serving2200 with { SkipVault = true });
        Assert.DoesNotContain(skipped.Steps, s => s.Id.EndsWith("vault", StringComparison.Ordinal));
        Assert.Contains(skipped.Notes, n => n.Contains("--skip-vault", StringComparison.Ordinal));
    }

    [Fact]
    public void Serving_1_x_pinning_Bazel_0_x_gets_no_devtoolset_and_no_pin_gets_no_Bazel_step()
    {
        Assert.False(WantedBazelVersion.NeedsModernCompiler("0.24.1"));
        Assert.True(WantedBazelVersion.NeedsModernCompiler("7.4.1"));
        Assert.True(WantedBazelVersion.NeedsModernCompiler(null));

        var old = CentOs7Plan.Create(Serving2200 with { WantedBazel = "0.24.1", NeedsModernCompiler = false });
        Assert.DoesNotContain(old.Steps, s => s.Id is "devtoolset" or "scl-release" or "scl-vault");
        Assert.Contains(old.Steps, s => s.Id == "bazel" && s.Action.Contains("/0.24.1/bazel-0.24.1-linux-x86_64", StringComparison.Ordinal));
        var installerEra = CentOs7Plan.Create(Serving2200 with { WantedBazel = "0.5.1", NeedsModernCompiler = false });
        Assert.Contains(installerEra.Steps, s => s.Id == "bazel" && s.Action.Contains("bash \"$download/bazel-0.5.1-installer-linux-x86_64.sh\" --prefix=\"$dir\"", StringComparison.Ordinal));
        Assert.Contains(installerEra.Notes, n => n.Contains("runs on JDK 8", StringComparison.Ordinal));

        var unpinned = CentOs7Plan.Create(Serving2200 with { WantedBazel = null });
        Assert.DoesNotContain(unpinned.Steps, s => s.Id == "bazel");
    }

    [Fact]
    public void Every_step_checks_with_rpm_grep_or_test_and_PyQt4_keeps_its_case()
    {
        var plan = CentOs7Plan.Create(Serving2200);
        Assert.All(plan.Steps, s => Assert.Matches("^(rpm -q|grep -q|test -e|test -x) ", s.Check));
        Assert.Contains(plan.Steps, s => s.Check == "rpm -q PyQt4" && s.Action == "yum install -y PyQt4");
        Assert.Contains(plan.Steps, s => s.Check == "rpm -q bzip2");
        Assert.All(plan.Steps, s => Assert.True(s.NeedsRoot));
    }

    [Fact]
    public void Bazel_is_downloaded_and_checked_never_piped_into_a_shell()
    {
        var step = BazelInstallStep.For("7.4.1", "x86_64");
        Assert.Contains("https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64", step.Action, StringComparison.Ordinal);
        Assert.Contains("sha256sum \"$download/bazel-7.4.1-linux-x86_64\"", step.Action, StringComparison.Ordinal);
        Assert.Contains("SHA-256 $actual does not match", step.Action, StringComparison.Ordinal);
        Assert.DoesNotContain("/usr/local/bin", step.Action, StringComparison.Ordinal);
        Assert.Contains("https://mirror.example/bazel/7.4.1/bazel-7.4.1-linux-x86_64.sha256", BazelInstallStep.For("7.4.1", "x86_64", "https://mirror.example/bazel/").Action, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\|\s*(ba)?sh", step.Action);
        Assert.Contains("bazel-7.4.1-linux-arm64", BazelInstallStep.For("7.4.1", "aarch64").Action, StringComparison.Ordinal);
    }
}
