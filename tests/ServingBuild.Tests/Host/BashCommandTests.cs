using ServingBuild.Host;

namespace ServingBuild.Tests.Host;

public class BashCommandTests
{
    [Fact]
    public void Root_steps_go_through_sudo_n_only_when_not_already_root()
    {
        Assert.Equal(["bash", "-c"], BashCommand.Words("true", asRoot: true, Elevation.AlreadyRoot).Take(2));
        Assert.Equal(["sudo", "-n", "--", "bash", "-c"], BashCommand.Words("true", asRoot: true, Elevation.Sudo).Take(5));
        Assert.Equal(["bash", "-c"], BashCommand.Words("true", asRoot: false, Elevation.Sudo).Take(2));
        Assert.StartsWith("set -euo pipefail\n", BashCommand.Words("true", asRoot: false, Elevation.Unknown)[2], StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => BashCommand.Words("true", asRoot: true, Elevation.Unavailable));
    }
}
