using ServingBuild.Protos.Drift;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>buf is the oracle: on every pair and in both categories the toolkit reports exactly buf's rule IDs, and its registry has buf's IDs and categories.</summary>
[Trait("Category", "Integration")]
public sealed class BufOracleTests
{
    public static TheoryData<DriftPair, string> PairsByCategory
    {
        get
        {
            var data = new TheoryData<DriftPair, string>();
            foreach (var pair in DriftPairs.All)
            {
                foreach (var category in BreakingRules.GateCategories)
                {
                    data.Add(pair, category);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PairsByCategory))]
    public async Task The_toolkit_reports_the_rule_IDs_buf_reports(DriftPair pair, string category)
    {
        var buf = await BufOracle.BreakingAsync(pair, category);

        var toolkit = DriftCompile.Ids(await DriftCompile.FindingsAsync(pair), category);

        Assert.Equal(buf, toolkit);
    }

    [Fact]
    public async Task Every_rule_has_bufs_ID_and_bufs_categories_and_WIRE_and_WIRE_JSON_are_complete()
    {
        var buf = await BufOracle.RulesAsync();

        foreach (var rule in BreakingRules.All)
        {
            Assert.True(buf.ContainsKey(rule.Id), $"{rule.Id} is not a buf rule");
            Assert.Equal(buf[rule.Id].Order(StringComparer.Ordinal), rule.Categories.Order(StringComparer.Ordinal));
        }

        foreach (var category in BreakingRules.GateCategories)
        {
            var theirs = buf.Where(kv => kv.Value.Contains(category)).Select(kv => kv.Key).Order(StringComparer.Ordinal);
            Assert.Equal(theirs, BreakingRules.In(category).Select(r => r.Id).Order(StringComparer.Ordinal));
        }
    }
}
