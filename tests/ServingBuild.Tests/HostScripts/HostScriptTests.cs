using System.Text.RegularExpressions;
using ServingBuild.BazelBuild;
using ServingBuild.HostScripts;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// The committed host script is what the C# generates, and it is written for CentOS 7's bash 4.2: no construct
/// from a later bash, coreutils or curl. Set SERVINGBUILD_WRITE_HOST_SCRIPTS=1 to rewrite the committed copy.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostScriptTests
{
    private static string Committed => Path.Combine(TestPaths.Root, HostScript.RelativePath);

    [Fact]
    public void The_committed_host_script_is_what_the_toolkit_generates()
    {
        if (Environment.GetEnvironmentVariable("SERVINGBUILD_WRITE_HOST_SCRIPTS") == "1")
        {
            HostScript.Write(TestPaths.Root);
        }

        var expected = HostScript.Render();
        Assert.True(File.Exists(Committed) && File.ReadAllText(Committed) == expected,
            $"{Committed} is stale; regenerate it: SERVINGBUILD_WRITE_HOST_SCRIPTS=1 dotnet test tests/ServingBuild.Tests --filter \"FullyQualifiedName~HostScriptTests\"");
        Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(Committed) & UnixFileMode.UserExecute);
    }

    [Theory]
    [InlineData(@"\$\{[A-Za-z_][A-Za-z0-9_]*@[QEPAKaUuL]\}", "${var@Q} (bash 4.4)")]
    [InlineData(@"\b(declare|local|typeset)\s+-[a-zA-Z]*n\b", "declare -n (bash 4.3)")]
    [InlineData(@"\bwait\s+-n\b", "wait -n (bash 4.3)")]
    [InlineData(@"\[\s*-\d+\s*\]\}", "a negative array subscript (bash 4.3)")]
    [InlineData(@"\b(mapfile|readarray)\b[^\n]*\s-d\b", "mapfile -d (bash 4.4)")]
    [InlineData(@"--retry-connrefused", "curl --retry-connrefused (7.52)")]
    [InlineData(@"--fail-with-body", "curl --fail-with-body (7.76)")]
    [InlineData(@"\bshopt\s+-s\s+(globasciiranges|inherit_errexit|localvar_inherit|assoc_expand_once)\b", "a shopt of bash 4.3 or later")]
    [InlineData(@"\$\{[A-Za-z_][A-Za-z0-9_]*\[@\]@[QEPAK]\}", "${array[@]@Q} (bash 4.4)")]
    [InlineData(@"\$EPOCHREALTIME|\$EPOCHSECONDS|\$SRANDOM", "bash 5 variables")]
    [InlineData(@"\btar\b[^\n]*--zstd", "tar --zstd (1.31)")]
    [InlineData(@"\bsha256sum\b[^\n]*--ignore-missing", "sha256sum --ignore-missing (coreutils 8.25)")]
    [InlineData(@"\bls\b[^\n]*--quoting-style", "ls quoting options of later coreutils")]
    public void The_host_script_uses_nothing_newer_than_CentOS_7s_user_land(string pattern, string what)
    {
        var text = HostScript.Render();
        var hit = Regex.Match(text, pattern);
        Assert.False(hit.Success, $"the host script uses {what}: '{hit.Value}'; CentOS 7 has bash 4.2, coreutils 8.22, curl 7.29, tar 1.26");
    }

    [Fact]
    public void Only_the_host_tasks_run_there_and_the_rest_exit_3()
    {
        var text = HostScript.Render();
        Assert.Contains("  Protos|Stubs|Verify|Test) task_elsewhere \"$target\" ;;", text);
        foreach (var task in HostScript.HostTasks)
        {
            Assert.Matches(new Regex($@"^  {task}\) task_", RegexOptions.Multiline), text);
        }
    }

    [Fact]
    public void Every_catalog_signature_cause_and_fix_is_in_the_script_word_for_word()
    {
        var text = HostScript.Render();
        foreach (var signature in FailureCatalog.All)
        {
            Assert.Contains(BashText.Single(signature.Name), text);
            Assert.Contains(BashText.Single(signature.Cause), text);
            Assert.Contains(BashText.Single(signature.Fix), text);
        }
    }

    [Theory]
    [InlineData(@"stropts\.h: No such file or directory", @"stropts\.h: No such file or directory")]
    [InlineData(@"bzip2\s*：\s*无法 exec", @"bzip2[[:space:]]*：[[:space:]]*无法 exec")]
    [InlineData(@"unrecognized command[ -]line option ['‘`]-std=c\+\+(17|1z)", @"unrecognized command[ -]line option (['`]|‘)-std=c\+\+(17|1z)")]
    [InlineData(@"^\[[\d,]+ / [\d,]+\]", @"^\[[0-9,]+ / [0-9,]+]")]
    [InlineData(@"(?:a|b)\d+", @"(a|b)[0-9]+")]
    public void Catalog_patterns_become_the_same_POSIX_pattern(string dotnet, string posix) =>
        Assert.Equal(posix, PosixPattern.FromDotNet(dotnet));

    [Fact]
    public void Named_groups_and_a_leading_word_boundary_convert_with_their_BASH_REMATCH_index()
    {
        var posix = PosixPattern.FromDotNet(@"\b(?<call>f|g\.h)\((?:x\s*=\s*)?""(?<v>\S*)""", out var groups);
        Assert.Equal(@"(^|[^[:alnum:]_])(f|g\.h)\((x[[:space:]]*=[[:space:]]*)?""([^[:space:]]*)""", posix);
        Assert.Equal(2, groups["call"]);
        Assert.Equal(4, groups["v"]);
    }

    [Fact]
    public void The_host_script_carries_one_Bazel_step_template_per_shape_and_no_unfilled_placeholder_outside_them()
    {
        var text = HostScript.Render();
        var shapes = HostScriptProvision.Shapes();
        Assert.Equal(HostScriptProvision.Boundaries.Count + 1, shapes.Count);
        Assert.Equal(BazelAssetKind.Installer, BazelRelease.KindFor(shapes[0].Placeholder));
        Assert.All(shapes.Skip(1), sh => Assert.Equal(BazelAssetKind.Binary, BazelRelease.KindFor(sh.Placeholder)));
        foreach (var shape in shapes)
        {
            Assert.Contains($"bazel_step_{shape.Number}=\"\"", text);
            Assert.Contains($"if ! version_before \"$1\" '{BazelRelease.PlainBinarySince}'", text.Replace("elif", "if", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(@"a{2}")]
    [InlineData(@"\w+")]
    [InlineData(@"(?<name>x)")]
    public void Patterns_outside_the_subset_are_refused(string dotnet) =>
        Assert.Throws<NotSupportedException>(() => PosixPattern.FromDotNet(dotnet));

    [Fact]
    public void A_message_template_expands_variables_and_nothing_else()
    {
        Assert.Equal("\"it costs \\$5 at ${where} with \\`x\\` and \\\"q\\\"\"", BashText.Template("it costs $5 at @SB_W@ with `x` and \"q\"", ("@SB_W@", "where")));
        Assert.Throws<InvalidOperationException>(() => BashText.Template("left @SB_OVER@"));
    }
}
