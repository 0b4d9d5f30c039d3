namespace ServingBuild.Host;

/// <summary>The argument list that runs shell text under bash with the toolkit's strict settings, elevated or not.</summary>
internal static class BashCommand
{
    /// <summary>Every piece of plan text runs with these, as the emitted script does, so a failure is never ignored.</summary>
    /// <summary>SYSROOT lets a test aim the plan at a folder instead of / (SERVINGBUILD_SYSROOT); empty on a real host.</summary>
    public const string Strict = "set -euo pipefail\nSYSROOT=\"${SERVINGBUILD_SYSROOT:-}\"";

    public static IReadOnlyList<string> Words(string script, bool asRoot, Elevation elevation)
    {
        var bash = new List<string> { "bash", "-c", Strict + "\n" + script };
        if (!asRoot || elevation == Elevation.AlreadyRoot)
        {
            return bash;
        }

        if (elevation == Elevation.Sudo)
        {
            return ["sudo", "-n", "--", .. bash];
        }

        throw new InvalidOperationException($"a command needing root was run with elevation {elevation}; the plan runner checks this first");
    }
}
