using ServingBuild.BazelBuild;

namespace ServingBuild.Tests.BazelBuild;

public sealed class BazelOutputFilterTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Progress_lines_are_shown_at_most_once_per_interval()
    {
        var filter = new BazelOutputFilter(TimeSpan.FromSeconds(3));
        Assert.True(filter.ShouldShow("[3 / 38] Compiling tensorflow/core/framework/tensor.pb.cc; 1s linux-sandbox", T0));
        Assert.False(filter.ShouldShow("[4 / 38] Compiling tensorflow/core/framework/types.pb.cc; 0s linux-sandbox", T0.AddSeconds(1)));
        Assert.True(filter.ShouldShow("[9 / 38] Compiling tensorflow_serving/apis/predict.pb.cc; 2s linux-sandbox", T0.AddSeconds(4)));
    }

    [Fact]
    public void Errors_and_the_closing_summary_are_always_shown_and_chatter_is_not()
    {
        var filter = new BazelOutputFilter(TimeSpan.FromSeconds(3));
        Assert.True(filter.ShouldShow("ERROR: /x/BUILD:1:1: C++ compilation of rule '@curl//:curl' failed (Exit 1)", T0));
        Assert.True(filter.ShouldShow("external/curl/lib/if2ip.c:6:10: fatal error: stropts.h: No such file or directory", T0));
        Assert.True(filter.ShouldShow("INFO: 16 processes: 1 internal, 15 linux-sandbox.", T0));
        Assert.True(filter.ShouldShow("  bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server", T0));
        Assert.False(filter.ShouldShow("Loading: 0 packages loaded", T0));
        Assert.False(filter.ShouldShow("1795560232.796608438: src/main/tools/linux-sandbox-pid1.cc:291: remount ro: /sys/fs/cgroup/blkio", T0));
    }

    [Fact]
    public void A_line_repeated_at_once_is_shown_once()
    {
        var filter = new BazelOutputFilter(TimeSpan.FromSeconds(5));
        var now = DateTime.UtcNow;
        Assert.True(filter.ShouldShow("INFO: Build completed successfully, 38 total actions", now));
        Assert.False(filter.ShouldShow("INFO: Build completed successfully, 38 total actions", now));
        Assert.True(filter.ShouldShow("ERROR: a different line", now));
    }

    [Fact]
    public void Ansi_colours_are_stripped_before_matching()
    {
        Assert.Equal("ERROR: boom", BazelOutputFilter.StripAnsi("\u001b[31m\u001b[1mERROR: \u001b[0mboom"));
    }
}
