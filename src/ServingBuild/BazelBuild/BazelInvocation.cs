using ServingBuild.Options;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Upstream's build line, made concrete for one host:
/// bazel build --color --curses ${TF_SERVING_BAZEL_OPTIONS} --verbose_failures --output_filter=DONT_MATCH_ANYTHING
/// ${TF_SERVING_BUILD_OPTIONS} [sizing, caches, remote, distdir] [--bazel-opt ...] tensorflow_serving/model_servers:tensorflow_model_server
/// </summary>
public sealed record BazelInvocation(IReadOnlyList<string> Arguments, IReadOnlyList<string> Secrets)
{
    public const string DefaultBuildOptions = "--config=release";

    /// <summary>Header lines (NAME=VALUE) for the remote cache, one per line; never logged.</summary>
    public const string RemoteHeadersVariable = "SERVINGBUILD_REMOTE_HEADERS";

    /// <param name="forwardedCache">
    /// The loopback URL of a <see cref="RemoteCacheForwarder"/> standing in for --remote-cache: Bazel then gets
    /// that URL and no header, because the forwarder adds them.
    /// </param>
    public static BazelInvocation For(BuildOptions options, HostResources host, bool terminal, IReadOnlyDictionary<string, string?> environment, string? forwardedCache = null)
    {
        var args = new List<string> { "build" };
        var secrets = new List<string>();
        args.Add(terminal ? "--color=yes" : "--color=no");
        args.Add(terminal ? "--curses=yes" : "--curses=no");
        args.AddRange(Words(environment, "TF_SERVING_BAZEL_OPTIONS") ?? []);
        args.Add("--verbose_failures");
        args.Add("--output_filter=DONT_MATCH_ANYTHING");
        args.AddRange(Words(environment, "TF_SERVING_BUILD_OPTIONS") ?? [DefaultBuildOptions]);

        // Sized to the host so a 2-core machine does not run more compilers than its memory holds.
        args.Add($"--jobs={options.Jobs ?? host.Jobs}");
        args.Add($"--local_cpu_resources={host.Cores}");
        args.Add($"--local_ram_resources={host.RamForBazelMb}");

        args.Add("--disk_cache=" + Path.Combine(options.CacheDir, "bazel-disk"));
        args.Add("--repository_cache=" + Path.Combine(options.CacheDir, "bazel-repo"));
        foreach (var dir in options.Distdirs)
        {
            args.Add("--distdir=" + dir);
        }

        if ((forwardedCache ?? options.RemoteCache) is { } cache)
        {
            args.Add("--remote_cache=" + cache);
        }

        secrets.AddRange(UrlCredentials.Secrets(options.RemoteCache));
        secrets.AddRange(UrlCredentials.Secrets(options.RemoteExecutor));

        if (options.RemoteExecutor is { } executor)
        {
            args.Add("--remote_executor=" + executor);
        }

        // Only a gRPC cache or executor still needs them on Bazel's command line (README: Remote cache).
        if ((options.RemoteCache is not null && forwardedCache is null) || options.RemoteExecutor is not null)
        {
            foreach (var header in RemoteHeaders(environment))
            {
                args.Add("--remote_header=" + header);
                var value = header[(header.IndexOf('=') + 1)..];
                secrets.Add(header);
                secrets.Add(value);
            }
        }

        // --bazel-opt comes last so it overrides anything above.
        args.AddRange(options.BazelOpts);
        args.Add(ServerBinary.Target);
        return new BazelInvocation(args, secrets);
    }

    /// <summary>
    /// The options that shape the binary, as the manifest records them: TF_SERVING_BAZEL_OPTIONS, then
    /// TF_SERVING_BUILD_OPTIONS (default --config=release), then each --bazel-opt. Options that only say where
    /// results are cached or sent (--remote_*, --bes_*, --google_*, --credential_helper) are left out: they do not
    /// change the binary and may carry credentials.
    /// </summary>
    public static IReadOnlyList<string> OptionsShapingTheBinary(BuildOptions options, IReadOnlyDictionary<string, string?> environment) =>
        ShapingTheBinary((Words(environment, "TF_SERVING_BAZEL_OPTIONS") ?? [])
            .Concat(Words(environment, "TF_SERVING_BUILD_OPTIONS") ?? [DefaultBuildOptions])
            .Concat(options.BazelOpts));

    /// <summary>The prefixes of options that say where results are cached or sent, left out of the manifest.</summary>
    public static readonly IReadOnlyList<string> NotShapingPrefixes = ["--remote_", "--bes_", "--google_", "--credential_helper"];

    // A simple prefix list on purpose: the host script filters with the same prefixes (scripts/host/servingbuild-host.sh).
    private static IReadOnlyList<string> ShapingTheBinary(IEnumerable<string> options) =>
        options.Where(o => !NotShapingPrefixes.Any(p => o.StartsWith(p, StringComparison.Ordinal))).ToArray();

    /// <summary>NAME=VALUE lines from SERVINGBUILD_REMOTE_HEADERS; a line without '=' is refused (no value shown).</summary>
    public static IReadOnlyList<string> RemoteHeaders(IReadOnlyDictionary<string, string?> environment)
    {
        if (!environment.TryGetValue(RemoteHeadersVariable, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var headers = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw new ToolkitException(
                    $"{RemoteHeadersVariable} line {i + 1} is not NAME=VALUE; write one header per line, e.g. Authorization=Bearer <token>",
                    ExitCodes.Usage);
            }

            headers.Add(line[..eq].Trim() + "=" + line[(eq + 1)..].Trim());
        }

        return headers;
    }

    private static IReadOnlyList<string>? Words(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var v) && v is not null
            ? v.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : null;
}
