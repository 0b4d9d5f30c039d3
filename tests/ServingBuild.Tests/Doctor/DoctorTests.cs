using System.Text.RegularExpressions;
using ServingBuild.BazelBuild;
using ServingBuild.Doctor;
using ServingBuild.Host;
using ServingBuild.Options;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Doctor;

[Trait("Category", "Integration")]
public class DoctorTests(ITestOutputHelper output)
{
    private static readonly HostFacts CentOs7 = HostFacts.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "provisioning", "centos7-probe.txt")));

    [Fact]
    public async Task Doctor_on_this_machine_reports_the_host_and_the_test_prerequisites_present()
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var context = new StageContext(OptionsParser.Parse([], TestPaths.Toolkit), TestPaths.Toolkit, log);
        await using var executor = new LocalExecutor(context.Runner);

        var report = await DoctorStage.ExamineAsync(context, executor, CancellationToken.None);
        foreach (var line in report.Lines())
        {
            output.WriteLine(line);
        }

        DoctorRow Row(string item) => Assert.Single(report.Rows, r => r.Item == item);
        Assert.Equal("yes", Row(".NET can start").Status);
        Assert.Equal("present", Row("bundled-prerequisites").Status);

        // Bazel as this host's shell sees it, against what the bundled workspace pins.
        var (bazelPath, bazelVersion) = await HostBazel.ReadAsync(output);
        var wanted = WantedBazelVersion.Read(TestPaths.ServingMini)!;
        Assert.Equal("ok", Row("bazel found").Status);
        Assert.StartsWith(bazelPath + ": ", Row("bazel found").Detail, StringComparison.Ordinal);
        Assert.Equal(bazelVersion == wanted.Version ? "ok" : "mismatch", Row("bazel wanted").Status);
        Assert.StartsWith($"{wanted.Version} (from ", Row("bazel wanted").Detail, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, int.Parse(Row("cpus").Detail, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ok", Row("os").Status);

        // What should be a finding here, from the host itself: little free disk, or a Bazel other than the pinned one.
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h && Directory.Exists(h) ? h : "/";
        var expected = new List<string>();
        if (new DriveInfo(home).AvailableFreeSpace < HostFacts.WantedFreeDiskBytes)
        {
            expected.Add("free disk");
        }

        if (bazelVersion != wanted.Version)
        {
            expected.Add("bazel wanted");
        }

        Assert.Equal(expected, report.Rows.Where(r => r.IsFinding).Select(r => r.Item));
        var exit = await new DoctorStage().RunAsync(context, CancellationToken.None);
        Assert.Equal(expected.Count > 0 ? ExitCodes.DoctorFindings : ExitCodes.Ok, exit);
        Assert.EndsWith(expected.Count > 0 ? $"doctor: {expected.Count} finding(s): {string.Join(", ", expected)}" : "doctor: all good", console.ToString().TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkout_pinning_another_Bazel_is_a_finding_and_Doctor_exits_5()
    {
        using var dir = new TempDir();
        dir.Write("tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu:22.04\nENV BAZEL_VERSION 99.1.0\n");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var context = new StageContext(OptionsParser.Parse(["--serving-dir=" + dir.Path], TestPaths.Toolkit), TestPaths.Toolkit, log);
        var missingBuildPackages = await NotInstalledAsync(DebianPlan.BuildPackages);
        var before = HostState(dir.Path);

        Assert.Equal(ExitCodes.DoctorFindings, await new DoctorStage().RunAsync(context, CancellationToken.None));
        var text = console.ToString();
        output.WriteLine(text);
        Assert.Matches(@"bazel wanted +mismatch +99\.1\.0 \(from .*Dockerfile\.devel:2\)", text);
        Assert.Matches(@"bazel +MISSING +Install Bazel 99\.1\.0", text);
        Assert.Contains("build profile", text, StringComparison.Ordinal);
        // A missing group names exactly the packages dpkg says are not installed (asked here apart from Doctor).
        Assert.Matches(
            missingBuildPackages.Count == 0
                ? @"build-prerequisites +present +apt-get install"
                : @"build-prerequisites +MISSING +" + Regex.Escape($"missing: {string.Join(' ', missingBuildPackages)}; ./build.sh --target=Provision") + "\n",
            text);
        Assert.Equal(before, HostState(dir.Path));
    }

    /// <summary>What Provision would change and Doctor must not: the checkout, the Bazel tools folder and link. (Not stropts.h: the Bazel tests stage it meanwhile.)</summary>
    private static string HostState(string servingDir) =>
        string.Join(
            "\n",
            SourceFiles.Under(servingDir).Order(StringComparer.Ordinal).Select(f => f + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))))
        + $"\ntools: {Directory.Exists(BazelInstallStep.ToolsDir("99.1.0"))}"
        + $"\nlink: {new FileInfo("/usr/local/bin/bazel").LinkTarget}";

    private async Task<List<string>> NotInstalledAsync(IEnumerable<string> packages)
    {
        var runner = new ProcessRunner(Require.Log(output));
        var missing = new List<string>();
        foreach (var package in packages)
        {
            var r = await runner.RunAsync(new ProcessSpec("dpkg-query", "-W", "-f=${Status}", package));
            if (r.StandardOutput.Trim() != "install ok installed")
            {
                missing.Add(package);
            }
        }

        return missing;
    }

    [Fact]
    public void On_CentOS_7_the_report_says_NET_cannot_start_and_low_disk_is_a_finding()
    {
        var plan = CentOs7Plan.Create(new PlanInputs { WantedBazel = "7.4.1" });
        var checks = plan.Steps.Select(s => new StepOutcome(s, s.Id == "bzip2" ? StepStatus.Missing : StepStatus.Satisfied)).ToList();
        var report = DoctorReport.Build("builder@centos7", CentOs7, plan, checks, new WantedBazelVersion("7.4.1", "Dockerfile.devel"), CentOs7.BazelVersionLine, CentOs7.BazelPath);

        Assert.Equal("no", Assert.Single(report.Rows, r => r.Item == ".NET can start").Status);
        Assert.Contains("--build-host", Assert.Single(report.Rows, r => r.Item == ".NET can start").Detail, StringComparison.Ordinal);
        Assert.Equal(["free disk", "bzip2"], report.Rows.Where(r => r.IsFinding).Select(r => r.Item));
        Assert.Equal("ok", Assert.Single(report.Rows, r => r.Item == "bazel wanted").Status);
        Assert.Equal("sudo", Assert.Single(report.Rows, r => r.Item == "root").Status);
        Assert.Equal("doctor: 2 finding(s): free disk, bzip2", report.Lines().Last());
    }
}
