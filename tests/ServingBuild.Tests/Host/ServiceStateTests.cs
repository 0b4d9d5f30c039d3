using ServingBuild.Doctor;
using ServingBuild.Host;

namespace ServingBuild.Tests.Host;

/// <summary>Doctor's reading of sshd and nginx: enabled at boot or listening beyond loopback is a finding.</summary>
public sealed class ServiceStateTests
{
    [Fact]
    public void Enabled_units_and_listening_sockets_are_read_per_service()
    {
        var states = ServiceState.Parse("""
            enabled ssh.service /etc/systemd/system/multi-user.target.wants
            listening 0.0.0.0:22 users:(("sshd",pid=812,fd=3))
            listening 127.0.0.1:40111 users:(("nginx",pid=900,fd=6),("nginx",pid=901,fd=6))
            """);
        var sshd = states.Single(s => s.Name == "sshd");
        Assert.Equal(["/etc/systemd/system/multi-user.target.wants/ssh.service"], sshd.EnabledUnits);
        Assert.Equal(["0.0.0.0:22"], sshd.ListeningOn);
        var nginx = states.Single(s => s.Name == "nginx");
        Assert.Empty(nginx.EnabledUnits);
        Assert.True(nginx.LoopbackOnly);
    }

    [Fact]
    public void Doctor_reports_an_enabled_or_exposed_service_and_lets_a_loopback_test_instance_pass()
    {
        var facts = HostFacts.Parse("probe=servingbuild-1\nos.ID=debian\n");
        var states = ServiceState.Parse("""
            enabled nginx.service /etc/systemd/system/multi-user.target.wants
            listening 127.0.0.1:40111 users:(("sshd",pid=900,fd=6))
            """);
        var report = DoctorReport.Build("this machine", facts, null, [], null, null, null, services: states);

        var nginx = report.Rows.Single(r => r.Item == "nginx");
        Assert.True(nginx.IsFinding);
        Assert.Contains("systemctl disable --now nginx.service", nginx.Detail, StringComparison.Ordinal);
        var sshd = report.Rows.Single(r => r.Item == "sshd");
        Assert.False(sshd.IsFinding);
        Assert.Equal("loopback", sshd.Status);

        var exposed = DoctorReport.Build("this machine", facts, null, [], null, null, null,
            services: ServiceState.Parse("listening [::]:22 users:((\"sshd\",pid=1,fd=3))"));
        Assert.True(exposed.Rows.Single(r => r.Item == "sshd").IsFinding);
        var off = DoctorReport.Build("this machine", facts, null, [], null, null, null, services: ServiceState.Parse(""));
        Assert.All(off.Rows.Where(r => r.Item is "sshd" or "nginx"), r => Assert.Equal("off", r.Status));
    }
}
