using ServingBuild.Test;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Test;

public sealed class TestRunSummaryTests
{
    private static string Trx(string counters) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <ResultSummary outcome="Failed">
            <Counters total="20" executed="18" {counters} />
          </ResultSummary>
        </TestRun>
        """;

    [Fact]
    public void Failed_errors_timeouts_and_aborts_all_count_as_failed()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.trx", Trx("passed=\"12\" failed=\"2\" error=\"1\" timeout=\"1\" aborted=\"1\" notExecuted=\"3\""));
        Assert.Equal(new TestRunSummary(12, 5, 3), TestRunSummary.FromTrx(path));
    }

    [Fact]
    public void Runs_add_up_and_the_line_names_skipped_only_when_there_are_some()
    {
        var total = new TestRunSummary(10, 0, 0) + new TestRunSummary(5, 1, 2);
        Assert.Equal(new TestRunSummary(15, 1, 2), total);
        Assert.Equal("15 passed, 1 failed, 2 skipped", total.ToString());
        Assert.Equal("10 passed, 0 failed", new TestRunSummary(10, 0, 0).ToString());
    }

    [Fact]
    public void A_trx_without_counters_says_the_run_did_not_finish()
    {
        using var dir = new TempDir();
        var path = dir.Write("cut.trx", "<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"></TestRun>");
        var ex = Assert.Throws<ToolkitException>(() => TestRunSummary.FromTrx(path));
        Assert.Equal($"{path}: no <Counters> element; the test run did not finish", ex.Message);
    }

    [Fact]
    public void Counters_missing_from_the_element_count_as_zero()
    {
        using var dir = new TempDir();
        var path = dir.Write("few.trx", Trx("passed=\"4\""));
        Assert.Equal(new TestRunSummary(4, 0, 0), TestRunSummary.FromTrx(path));
    }
}
