using ServingBuild.Options;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>
/// A build tool must not open ports on the machine it builds on: Provision's plan, run for real on this machine,
/// leaves no sshd or nginx unit enabled (read from the /etc/systemd/system/*.wants links, since systemd may not run
/// here) and nothing new listening (`ss -ltn` before and after).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProvisionOpensNoPortsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Provision_leaves_no_sshd_or_nginx_enabled_and_nothing_new_listening()
    {
        var ss = Require.Program("ss", "iproute2");
        var before = await ListeningAsync(ss);
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var context = new StageContext(OptionsParser.Parse([], TestPaths.Toolkit), TestPaths.Toolkit, log);

        Assert.Equal(ExitCodes.Ok, await new ProvisionStage().RunAsync(context, CancellationToken.None));
        output.WriteLine(console.ToString());

        var enabled = DebianPlanTests.EnabledServiceLinks();
        Assert.True(enabled.Length == 0,
            $"sshd or nginx is enabled at boot: {string.Join(", ", enabled)}; Provision installs neither, so an earlier install left it (systemctl disable ssh nginx)");

        // Other tests on this machine start their own servers, on loopback only (every server a test starts binds
        // 127.0.0.1): so any new listener beyond loopback would be the plan's.
        var after = await ListeningAsync(ss);
        var opened = after.Except(before).Where(a => !IsLoopback(a)).ToArray();
        Assert.True(opened.Length == 0, $"listening after Provision and not before: {string.Join(", ", opened)}");
    }

    private async Task<string[]> ListeningAsync(string ss)
    {
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec(ss, "-ltnH"));
        Assert.True(result.Succeeded, result.StandardError);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 4)
            .Select(f => f[3])
            .ToArray();
    }

    private static bool IsLoopback(string address) =>
        address.StartsWith("127.", StringComparison.Ordinal) || address.StartsWith("[::1]", StringComparison.Ordinal);
}
