using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

public sealed class BazelInvocationTests
{
    private static readonly HostResources TwoCores24GiB = new(2, 24L << 30);

    private static BuildOptions Options(params string[] args) =>
        OptionsParser.Parse(["--cache-dir=/var/cache/sb", .. args], TestPaths.Toolkit, new Dictionary<string, string?>());

    private static IReadOnlyList<string> Args(BuildOptions options, Dictionary<string, string?>? env = null, bool terminal = false, HostResources? host = null) =>
        BazelInvocation.For(options, host ?? TwoCores24GiB, terminal, env ?? []).Arguments;

    [Fact]
    public void Follows_upstreams_order_with_release_config_by_default_and_the_target_last()
    {
        var args = Args(Options());
        Assert.Equal(["build", "--color=no", "--curses=no", "--verbose_failures", "--output_filter=DONT_MATCH_ANYTHING", "--config=release"], args.Take(6));
        Assert.Equal("tensorflow_serving/model_servers:tensorflow_model_server", args[^1]);
    }

    [Fact]
    public void Uses_color_and_curses_on_a_terminal_as_upstream_does()
    {
        var args = Args(Options(), terminal: true);
        Assert.Equal(["--color=yes", "--curses=yes"], args.Skip(1).Take(2));
    }

    [Fact]
    public void Honours_TF_SERVING_BAZEL_OPTIONS_before_and_TF_SERVING_BUILD_OPTIONS_after_verbose_failures()
    {
        var env = new Dictionary<string, string?>
        {
            ["TF_SERVING_BAZEL_OPTIONS"] = "--announce_rc  --keep_going",
            ["TF_SERVING_BUILD_OPTIONS"] = "--config=nativeopt --copt=-O3",
        };
        var args = Args(Options(), env).ToList();
        Assert.Equal(["--announce_rc", "--keep_going", "--verbose_failures"], args.Skip(3).Take(3));
        Assert.Equal(["--config=nativeopt", "--copt=-O3"], args.Skip(7).Take(2));
        Assert.DoesNotContain("--config=release", args);
    }

    [Fact]
    public void Bazel_opt_values_come_after_everything_the_toolkit_adds_so_they_win()
    {
        var args = Args(Options("--bazel-opt=--jobs=7", "--bazel-opt=--action_env=PATH=/opt/bin")).ToList();
        Assert.Equal(["--jobs=7", "--action_env=PATH=/opt/bin", "tensorflow_serving/model_servers:tensorflow_model_server"], args.TakeLast(3));
        Assert.True(args.IndexOf("--jobs=2") < args.IndexOf("--jobs=7"));
    }

    [Fact]
    public void Two_cores_and_24_GiB_give_two_jobs_and_leave_memory_for_the_OS()
    {
        var args = Args(Options());
        Assert.Contains("--jobs=2", args);
        Assert.Contains("--local_cpu_resources=2", args);
        Assert.Contains($"--local_ram_resources={24 * 1024 * 7 / 10}", args);
    }

    [Fact]
    public void Many_cores_with_little_memory_are_limited_by_memory_not_cores()
    {
        // 16 cores, 8 GiB: 5.6 GiB for Bazel / 3 GiB per job = 1 job; 16 compilers would be killed.
        Assert.Contains("--jobs=1", Args(Options(), host: new HostResources(16, 8L << 30)));
        // 48 GiB: 33.6 GiB for Bazel / 3 GiB = 11 jobs, below the 16 cores.
        Assert.Contains("--jobs=11", Args(Options(), host: new HostResources(16, 48L << 30)));
    }

    [Fact]
    public void Jobs_option_overrides_the_sizing()
    {
        Assert.Contains("--jobs=1", Args(Options("--jobs=1")));
    }

    [Fact]
    public void Keeps_disk_and_repository_caches_under_the_cache_dir_and_passes_distdirs()
    {
        using var dist = new TempDir();
        var args = Args(Options($"--distdir={dist.Path}"));
        Assert.Contains("--disk_cache=/var/cache/sb/bazel-disk", args);
        Assert.Contains("--repository_cache=/var/cache/sb/bazel-repo", args);
        Assert.Contains($"--distdir={dist.Path}", args);
    }

    [Fact]
    public void Remote_cache_headers_come_from_the_environment_and_are_marked_secret()
    {
        var env = new Dictionary<string, string?>
        {
            [BazelInvocation.RemoteHeadersVariable] = "Authorization=Bearer s3cr3t-token\n# a comment\nx-buildbuddy-api-key = k-42\n",
        };
        var invocation = BazelInvocation.For(Options("--remote-cache=grpcs://cache.example.com"), TwoCores24GiB, false, env);
        Assert.Contains("--remote_cache=grpcs://cache.example.com", invocation.Arguments);
        Assert.Contains("--remote_header=Authorization=Bearer s3cr3t-token", invocation.Arguments);
        Assert.Contains("--remote_header=x-buildbuddy-api-key=k-42", invocation.Arguments);
        Assert.Contains("Bearer s3cr3t-token", invocation.Secrets);
        Assert.Contains("k-42", invocation.Secrets);
    }

    [Fact]
    public void Headers_are_not_sent_without_a_remote_cache_or_executor()
    {
        var env = new Dictionary<string, string?> { [BazelInvocation.RemoteHeadersVariable] = "Authorization=Bearer x" };
        Assert.DoesNotContain(Args(Options(), env), a => a.StartsWith("--remote_header", StringComparison.Ordinal));
    }

    [Fact]
    public void A_header_line_without_a_value_is_refused_without_echoing_it()
    {
        var env = new Dictionary<string, string?> { [BazelInvocation.RemoteHeadersVariable] = "Bearer-only-token-abc" };
        var ex = Assert.Throws<ToolkitException>(() => BazelInvocation.For(Options("--remote-cache=http://127.0.0.1:9/"), TwoCores24GiB, false, env));
        Assert.Contains("line 1", ex.Message);
        Assert.DoesNotContain("Bearer-only-token-abc", ex.Message);
    }

    [Fact]
    public void Server_binary_path_is_under_the_checkouts_bazel_bin()
    {
        Assert.Equal("/src/serving/bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server", ServerBinary.PathFor("/src/serving"));
    }
}
