using System.Text.RegularExpressions;
using ServingBuild.Provision;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>What the Debian plan installs, against what the tests and the plan's profiles actually need.</summary>
public sealed partial class DebianPlanPackagesTests
{
    [Fact]
    public void Every_package_a_test_requires_is_in_the_tests_profile_or_essential()
    {
        // The packages the integration tests name when a program is missing (Require.Program(program, package)).
        var required = SourceFiles.Under(Path.Combine(TestPaths.Root, "tests", "ServingBuild.Tests"), "*.cs")
            .SelectMany(f => RequiredPackage().Matches(File.ReadAllText(f)).Select(m => (Package: m.Groups["package"].Value, File: Path.GetFileName(f))))
            .ToList();
        Assert.NotEmpty(required);

        // Debian's Essential packages (dpkg, util-linux, ...) are on every Debian host; the plan need not list them.
        var essential = EssentialPackages();
        var missing = required.Where(r => !DebianPlan.TestPackages.Contains(r.Package) && !essential.Contains(r.Package))
            .Select(r => $"{r.Package} ({r.File})").Distinct().ToList();
        Assert.True(missing.Count == 0, $"tests require packages the tests profile does not install: {string.Join(", ", missing)}");
    }

    /// <summary>From dpkg's own database: the host fact, not a list copied here.</summary>
    private static HashSet<string> EssentialPackages()
    {
        var essential = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stanza in File.ReadAllText("/var/lib/dpkg/status").Split("\n\n"))
        {
            if (stanza.Contains("\nEssential: yes", StringComparison.Ordinal) && stanza.StartsWith("Package: ", StringComparison.Ordinal))
            {
                essential.Add(stanza["Package: ".Length..stanza.IndexOf('\n', StringComparison.Ordinal)]);
            }
        }

        Assert.Contains("dpkg", essential);
        return essential;
    }

    [GeneratedRegex(@"Require\.Program\(\s*""[^""]+"",\s*""(?<package>[a-z0-9][a-z0-9+.-]+)""\s*\)")]
    private static partial Regex RequiredPackage();
}
