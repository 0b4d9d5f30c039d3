using ServingBuild.Options;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>--breaking, --accept-breaking[=RULE,...] and --against as the command line gives them.</summary>
public sealed class DriftOptionsTests
{
    private static BuildOptions Parse(params string[] args) => OptionsParser.Parse(args, TestPaths.Toolkit);

    [Fact]
    public void The_gate_defaults_to_WIRE_with_nothing_accepted_and_no_ref()
    {
        var o = Parse();

        Assert.Equal("WIRE", o.Breaking);
        Assert.False(o.AcceptBreaking);
        Assert.Empty(o.AcceptBreakingRules);
        Assert.Null(o.Against);
    }

    [Fact]
    public void Accept_breaking_alone_accepts_everything_and_with_rule_ids_only_those()
    {
        Assert.True(Parse("--accept-breaking").AcceptBreaking);

        var some = Parse("--breaking=WIRE_JSON", "--accept-breaking=FIELD_SAME_NAME, FIELD_SAME_JSON_NAME", "--against=v2.19.0");

        Assert.False(some.AcceptBreaking);
        Assert.Equal(["FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME"], some.AcceptBreakingRules);
        Assert.Equal("WIRE_JSON", some.Breaking);
        Assert.Equal("v2.19.0", some.Against);
    }

    [Fact]
    public void An_unknown_rule_id_is_one_line_with_exit_2_listing_the_valid_ids()
    {
        var ex = Assert.Throws<OptionsException>(() => Parse("--accept-breaking=FIELD_SAME_NUMBER"));

        Assert.Equal(ServingBuild.ExitCodes.Usage, ex.ExitCode);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith("--accept-breaking=FIELD_SAME_NUMBER: unknown rule FIELD_SAME_NUMBER;", ex.Message);
        Assert.Contains("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", ex.Message);
        Assert.Contains("FIELD_WIRE_JSON_COMPATIBLE_TYPE", ex.Message);
    }

    [Theory]
    [InlineData("--breaking=FILE")]
    [InlineData("--breaking=wire")]
    [InlineData("--against=--output=/tmp/x")]
    [InlineData("--against=")]
    public void A_bad_gate_or_ref_is_a_usage_error(string arg)
    {
        var ex = Assert.Throws<OptionsException>(() => Parse(arg));

        Assert.Equal(ServingBuild.ExitCodes.Usage, ex.ExitCode);
    }
}
