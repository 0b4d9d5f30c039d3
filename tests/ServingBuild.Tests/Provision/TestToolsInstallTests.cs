using ServingBuild.Host;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>
/// The Test task's apt step for the test tools, run by bash against a folder standing in for / and an apt-get that
/// does what Debian's packages do on install (ask policy-rc.d before starting a service, enable their units): no
/// service may start during the install, the units it enabled end up disabled, and what the host owner had is kept.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TestToolsInstallTests(ITestOutputHelper output) : IDisposable
{
    private const string AptGet = """
        #!/usr/bin/env bash
        echo "apt-get $*" >> "$STATE/calls"
        [ "$1" = install ] || exit 0
        policy="$SERVINGBUILD_SYSROOT/usr/sbin/policy-rc.d"
        if [ -x "$policy" ]; then
          "$policy" ssh.service start
          echo "policy-rc.d answered $?" >> "$STATE/calls"
        else
          echo "no policy-rc.d: ssh and nginx started" >> "$STATE/calls"
        fi
        wants="$SERVINGBUILD_SYSROOT/etc/systemd/system/multi-user.target.wants"
        mkdir -p "$wants"
        ln -sf /lib/systemd/system/ssh.service "$wants/ssh.service"
        ln -sf /lib/systemd/system/nginx.service "$wants/nginx.service"
        """;

    private readonly TempDir _dir = new("sb-tools");

    private string Wants => _dir.Combine("root", "etc", "systemd", "system", "multi-user.target.wants");

    [Fact]
    public async Task No_service_starts_and_the_units_the_install_enabled_are_left_disabled()
    {
        var result = await RunAsync();
        var calls = File.ReadAllText(_dir.Combine("state", "calls"));
        Assert.True(result.Succeeded, result.StandardError + calls);
        Assert.Contains("policy-rc.d answered 101", calls, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Wants));
        Assert.False(Path.Exists(_dir.Combine("root", "usr", "sbin", "policy-rc.d")));
        Assert.Contains("left ssh.service disabled", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("left nginx.service disabled", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_the_owner_enabled_before_and_their_policy_rc_d_stay_as_they_were()
    {
        Directory.CreateDirectory(Wants);
        File.CreateSymbolicLink(Path.Combine(Wants, "nginx.service"), "/lib/systemd/system/nginx.service");
        var policy = _dir.Write("root/usr/sbin/policy-rc.d", "#!/bin/sh\n# the owner's own\nexit 101\n");
        File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);

        var result = await RunAsync();
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(["nginx.service"], Directory.GetFileSystemEntries(Wants).Select(Path.GetFileName));
        Assert.Equal("#!/bin/sh\n# the owner's own\nexit 101\n", File.ReadAllText(policy));
        Assert.Contains("policy-rc.d answered 101", File.ReadAllText(_dir.Combine("state", "calls")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PlanProfile.Tests)]
    [InlineData(PlanProfile.Bundled)]
    public async Task The_Debian_profiles_render_shellcheck_clean_scripts(PlanProfile profile)
    {
        var path = _dir.Combine("plan.sh");
        ProvisionScript.Write(DebianPlan.Create(new PlanInputs { Profile = profile }, "Debian GNU/Linux 12 (bookworm)"), path);
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec(Require.Program("shellcheck", "shellcheck"), "--shell=bash", "--severity=style", path));
        Assert.True(result.Succeeded, result.StandardOutput);
    }

    private async Task<ProcessResult> RunAsync()
    {
        Directory.CreateDirectory(_dir.Combine("root", "usr", "sbin"));
        Directory.CreateDirectory(_dir.Combine("state"));
        File.SetUnixFileMode(_dir.Write("bin/apt-get", AptGet + "\n"), (UnixFileMode)0b111_101_101);
        var step = DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Tests }, "Debian").Steps.Single(s => s.Id == "test-prerequisites");
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec("bash", "-c", BashCommand.Strict + "\n" + step.Action)
        {
            Environment = new Dictionary<string, string?>
            {
                ["PATH"] = _dir.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["SERVINGBUILD_SYSROOT"] = _dir.Combine("root"),
                ["STATE"] = _dir.Combine("state"),
            },
        });
        output.WriteLine(result.StandardOutput + result.StandardError);
        return result;
    }

    public void Dispose() => _dir.Dispose();
}
