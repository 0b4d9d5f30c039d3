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
        Assert.Equal("ok", Row("bazel found").Status);
        // The bundled workspace pins Debian's Bazel 4.2.3, which prints "no_version": its package says 4.2.3.
        Assert.Equal("ok", Row("bazel wanted").Status);
        Assert.StartsWith("4.2.3 (from ", Row("bazel wanted").Detail, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, int.Parse(Row("cpus").Detail, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ok", Row("os").Status);

        var exit = await new DoctorStage().RunAsync(context, CancellationToken.None);
        Assert.Equal(report.HasFindings ? ExitCodes.DoctorFindings : ExitCodes.Ok, exit);
        Assert.Contains(report.HasFindings ? "finding(s)" : "doctor: all good", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkout_pinning_another_Bazel_is_a_finding_and_Doctor_exits_5()
    {
        using var dir = new TempDir();
        dir.Write("tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu:22.04\nENV BAZEL_VERSION 99.1.0\n");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var context = new StageContext(OptionsParser.Parse(["--serving-dir=" + dir.Path], TestPaths.Toolkit), TestPaths.Toolkit, log);

        Assert.Equal(ExitCodes.DoctorFindings, await new DoctorStage().RunAsync(context, CancellationToken.None));
        var text = console.ToString();
        output.WriteLine(text);
        Assert.Matches(@"bazel wanted +mismatch +99\.1\.0 \(from .*Dockerfile\.devel:2\)", text);
        Assert.Matches(@"bazel +MISSING +Install Bazel 99\.1\.0", text);
        Assert.Contains("build profile", text, StringComparison.Ordinal);
        // A missing group names its missing packages (dpkg-query decides which).
        Assert.Matches(@"build-prerequisites +(present +apt-get install|MISSING +missing: [a-z0-9+.\- ]+; \./build\.sh --target=Provision)", text);
        Assert.False(Directory.Exists("/opt/servingbuild/bazel/99.1.0"), "Doctor must change nothing");
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
