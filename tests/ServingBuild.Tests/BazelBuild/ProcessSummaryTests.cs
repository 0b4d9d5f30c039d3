using ServingBuild.BazelBuild;

namespace ServingBuild.Tests.BazelBuild;

public sealed class ProcessSummaryTests
{
    [Fact]
    public void A_cold_local_build_executed_everything_but_the_internal_processes()
    {
        var s = ProcessSummary.Parse("INFO: 38 processes: 4 internal, 34 linux-sandbox.")!;
        Assert.Equal(38, s.Total);
        Assert.Equal(34, s.Executed);
        Assert.Equal(0, s.RemoteCacheHits);
    }

    [Fact]
    public void A_no_op_build_executed_nothing()
    {
        var s = ProcessSummary.Parse("INFO: 1 process: 1 internal.")!;
        Assert.Equal(0, s.Executed);
        Assert.Equal(0, s.Actions);
    }

    [Fact]
    public void Remote_cache_hits_are_counted_as_a_share_of_the_real_actions()
    {
        var s = ProcessSummary.Parse("INFO: 38 processes: 34 remote cache hit, 4 internal.")!;
        Assert.Equal(34, s.RemoteCacheHits);
        Assert.Equal(0, s.Executed);
        Assert.Equal(100, s.RemoteHitPercent);

        var partial = ProcessSummary.Parse("INFO: 38 processes: 30 remote cache hit, 4 internal, 4 linux-sandbox.")!;
        Assert.Equal(4, partial.Executed);
        Assert.Equal(100.0 * 30 / 34, partial.RemoteHitPercent, 3);
    }

    [Fact]
    public void The_last_summary_in_a_log_wins_and_other_lines_are_ignored()
    {
        var s = ProcessSummary.FindLast(["INFO: 3 processes: 3 internal.", "INFO: Elapsed time: 1.2s", "INFO: 16 processes: 1 internal, 15 processwrapper-sandbox."])!;
        Assert.Equal(15, s.Count("processwrapper-sandbox"));
        Assert.Null(ProcessSummary.FindLast(["INFO: Build completed successfully, 16 total actions"]));
    }
}
