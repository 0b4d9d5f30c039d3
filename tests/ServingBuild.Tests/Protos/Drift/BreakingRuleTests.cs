using ServingBuild.Protos;
using ServingBuild.Protos.Drift;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>Each rule of the registry on its before/after pairs (real protoc), and the cases the gate is about.</summary>
[Trait("Category", "Integration")]
public sealed class BreakingRuleTests
{
    public static TheoryData<DriftPair> Pairs => new(DriftPairs.All);

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Each_pair_raises_exactly_its_rules_under_WIRE_and_WIRE_JSON(DriftPair pair)
    {
        var findings = await DriftCompile.FindingsAsync(pair);

        Assert.Equal(pair.Wire.Order(StringComparer.Ordinal), DriftCompile.Ids(findings, BreakingRules.Wire));
        Assert.Equal(pair.WireJson.Order(StringComparer.Ordinal), DriftCompile.Ids(findings, BreakingRules.WireJson));
    }

    [Fact]
    public void Every_rule_of_WIRE_and_WIRE_JSON_has_a_pair_that_raises_it()
    {
        var covered = DriftPairs.All.SelectMany(p => p.Wire.Concat(p.WireJson)).ToHashSet(StringComparer.Ordinal);
        var gated = BreakingRules.All.Where(r => r.IsIn(BreakingRules.Wire) || r.IsIn(BreakingRules.WireJson)).Select(r => r.Id);

        Assert.All(gated, id => Assert.Contains(id, covered));
    }

    [Fact]
    public async Task A_rename_passes_WIRE_and_fails_WIRE_JSON_under_FIELD_SAME_NAME_and_FIELD_SAME_JSON_NAME()
    {
        var findings = await DriftCompile.FindingsAsync(DriftPairs.All.Single(p => p.Name == "field renamed"));

        Assert.DoesNotContain(findings, f => f.BreaksUnder(BreakingRules.Wire));
        Assert.Equal(["FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"], DriftCompile.Ids(findings, BreakingRules.WireJson));
        var name = findings.Single(f => f.Rule == "FIELD_SAME_NAME");
        Assert.Equal("demo.Req.count", name.Subject);
        Assert.Equal("x.proto:21:9", name.Before!.ToString());
        Assert.Equal("x.proto:21:9", name.After!.ToString());
    }

    [Fact]
    public async Task Int32_to_int64_passes_WIRE_and_fails_WIRE_JSON_under_FIELD_WIRE_JSON_COMPATIBLE_TYPE()
    {
        var findings = await DriftCompile.FindingsAsync(DriftPairs.All.Single(p => p.Name == "int32 to int64"));

        Assert.Empty(DriftCompile.Ids(findings, BreakingRules.Wire));
        var hit = Assert.Single(findings, f => f.BreaksUnder(BreakingRules.WireJson));
        Assert.Equal("FIELD_WIRE_JSON_COMPATIBLE_TYPE", hit.Rule);
        Assert.Equal("type int32 became int64", hit.Detail);
        Assert.Equal("x.proto:21:3", hit.After!.ToString());
    }

    [Fact]
    public async Task A_renumber_fails_both_categories_under_FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED_and_adds_the_new_number()
    {
        var findings = await DriftCompile.FindingsAsync(DriftPairs.All.Single(p => p.Name == "field renumbered"));

        foreach (var category in BreakingRules.GateCategories)
        {
            Assert.Contains(findings, f => f.Rule == "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED" && f.BreaksUnder(category));
        }

        var added = Assert.Single(findings, f => f.IsAddition);
        Assert.Equal(DescriptorFinding.AdditionRule, added.Rule);
        Assert.Contains("new field 15", added.Detail);
    }

    [Fact]
    public async Task Additions_are_listed_as_additions_and_never_under_a_buf_rule()
    {
        var findings = await DriftCompile.FindingsAsync(DriftPairs.All.Single(p => p.Name == "fields, values and rpcs added"));

        Assert.All(findings, f => Assert.True(f.IsAddition, f.ToString()));
        Assert.All(findings, f => Assert.Null(BreakingRules.Find(f.Rule)));
        Assert.Equal(["demo.Kind.KIND_C", "demo.Req.note", "demo.Svc.More"], findings.Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Matches(@"^x\.proto:\d+:\d+$", f.After!.ToString()));
    }

    [Fact]
    public async Task Deleting_an_rpc_or_a_message_is_a_FILE_rule_note_not_a_WIRE_failure()
    {
        var rpc = await DriftCompile.FindingsAsync(DriftPairs.All.Single(p => p.Name == "rpc deleted"));
        var message = await DriftCompile.FindingsAsync(DriftPairs.All.Single(p => p.Name == "nested message deleted"));

        var note = Assert.Single(rpc);
        Assert.Equal("RPC_NO_DELETE", note.Rule);
        Assert.False(note.BreaksUnder(BreakingRules.Wire) || note.BreaksUnder(BreakingRules.WireJson));
        Assert.Contains(message, f => f.Rule == "MESSAGE_NO_DELETE" && f.Subject == "demo.Req.Inner" && !f.BreaksUnder(BreakingRules.Wire));
    }
}
