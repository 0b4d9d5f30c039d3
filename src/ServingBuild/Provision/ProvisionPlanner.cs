using ServingBuild.BazelBuild;
using ServingBuild.Host;
using ServingBuild.Options;

namespace ServingBuild.Provision;

/// <summary>Chooses the plan for a host from its facts and the options: CentOS 7 or Debian/Ubuntu.</summary>
public static class ProvisionPlanner
{
    public static ProvisionPlan For(HostFacts facts, PlanInputs inputs)
    {
        if (facts.IsCentOs7)
        {
            return CentOs7Plan.Create(inputs);
        }

        if (facts.IsDebianFamily)
        {
            return DebianPlan.Create(inputs, facts.OsDisplay);
        }

        throw new UnsupportedHostException(
            $"no provisioning plan for {facts.OsDisplay} ({facts.OsId} {facts.OsVersionId}); supported: CentOS 7, Debian, Ubuntu; install the prerequisites by hand (README, Provision)");
    }

    /// <summary>
    /// The inputs the options give: the bundled miniature workspace needs its own build's packages only (the
    /// bundled profile); a real checkout gets the build profile with the Bazel version it pins.
    /// </summary>
    public static PlanInputs Inputs(BuildOptions options, string architecture)
    {
        if (options.ServingDirIsBundled)
        {
            return new PlanInputs { Profile = PlanProfile.Bundled, SkipVault = options.SkipVault, Architecture = architecture, WantedBazel = null, BazelMirror = options.BazelMirror };
        }

        var wanted = WantedBazelVersion.Read(options.ServingDir)?.Version;
        return new PlanInputs
        {
            Profile = PlanProfile.Build,
            WantedBazel = wanted,
            NeedsModernCompiler = WantedBazelVersion.NeedsModernCompiler(wanted),
            SkipVault = options.SkipVault,
            Architecture = architecture.Length > 0 ? architecture : "x86_64",
            BazelMirror = options.BazelMirror,
        };
    }
}
