using System.Globalization;
using ServingBuild.Protos.Drift;

namespace ServingBuild.Options;

/// <summary>
/// Parses `--name=value` arguments (Cake's style; `--name value` and bare flags work too) into
/// <see cref="BuildOptions"/>. An unknown option or a bad value throws one line naming it and the fix.
/// </summary>
public static class OptionsParser
{
    public static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("serving-dir", "DIR", false, "TensorFlow Serving source tree (default: the bundled tests/serving-mini)"),
        new("tensorflow-dir", "DIR", false, "root holding tensorflow/core/framework/*.proto (default: found in the serving tree or Bazel's @org_tensorflow)"),
        new("protos-out", "DIR", false, "where the rewritten protos go (default: protos/)"),
        new("keep-rpc", "NAMES", true, "RPCs to keep, comma-separated or repeated (default: Predict)"),
        new("proto-layout", "flat|upstream", false, "flat files side by side (default) or tensorflow_serving/apis/ paths"),
        new("accept-breaking", null, false, "let breaking upstream changes through (still reported); =RULE_ID,... only those buf rules"),
        new("breaking", "WIRE|WIRE_JSON", false, "buf category whose rules stop Protos with exit 4 (default WIRE; WIRE_JSON also guards JSON/REST clients)"),
        new("against", "REF", false, "Protos: report drift between the serving tree and the same files at this git ref (tag, commit); writes nothing"),
        new("bazel", "PATH", false, "the Bazel binary (default: $BAZEL, then PATH)"),
        new("bazel-opt", "OPT", true, "extra Bazel build option (repeatable; after TF_SERVING_BUILD_OPTIONS)"),
        new("allow-bazel-mismatch", null, false, "warn instead of failing when Bazel is not the version the checkout wants"),
        new("install-bazel", null, false, "download the wanted Bazel release into the tools cache (SHA-256 checked)"),
        new("remote-cache", "URL", false, "Bazel remote cache (http, https, grpc); headers from SERVINGBUILD_REMOTE_HEADERS"),
        new("remote-executor", "URL", false, "Bazel remote executor (grpc, grpcs)"),
        new("distdir", "DIR", true, "Bazel --distdir for air-gapped builds (repeatable)"),
        new("jobs", "N", false, "Bazel --jobs (default: sized to the host's cores and memory)"),
        new("cache-dir", "DIR", false, "persistent caches (default: $XDG_CACHE_HOME/servingbuild or ~/.cache/servingbuild)"),
        new("server", "HOST:PORT", false, "verify a server that is already running; start nothing"),
        new("model-name", "NAME", false, "model to verify (default: half_plus_two)"),
        new("build-host", "USER@HOST", false, "run the host steps on this machine over ssh"),
        new("dry-run", null, false, "print the plan, change nothing"),
        new("emit-script", "FILE", false, "write the host plan as a standalone bash script"),
        new("auto-fix", null, false, "apply the safe fixes for a diagnosed build failure and retry once"),
        new("skip-vault", null, false, "CentOS 7: do not point yum at vault.centos.org"),
        new("verbose", null, false, "print every line of external programs"),
    ];

    /// <summary>Cake's own arguments, which the host consumes; ignored here.</summary>
    public static readonly IReadOnlySet<string> HostOptions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "target", "verbosity", "v", "description", "tree", "help", "version", "info", "dryrun", "noop", "whatif",
        "exclusive", "e", "debug", "d", "bootstrap", "skip-bootstrap", "showdescription", "showtree", "settings_skipverification",
    };

    public static BuildOptions Parse(IEnumerable<string> args, ServingBuild.Tasks.ToolkitPaths paths, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = environment ?? ReadEnvironment();
        var values = Collect(args);
        var cwd = Directory.GetCurrentDirectory();

        string? One(string name) => values.TryGetValue(name, out var v) ? v[^1] : null;
        bool Flag(string name)
        {
            var v = One(name);
            return v switch
            {
                null => false,
                "" or "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => throw new OptionsException($"--{name}={v}: expected true or false (or just --{name})"),
            };
        }

        IReadOnlyList<string> Many(string name) => values.TryGetValue(name, out var v)
            ? v.SelectMany(x => x.Split(',', StringSplitOptions.TrimEntries)).ToArray()
            : [];

        string ExistingDir(string name, string value)
        {
            if (value.Length == 0)
            {
                throw new OptionsException($"--{name} needs a folder: --{name}=DIR");
            }

            var full = Path.GetFullPath(value, cwd);
            if (!Directory.Exists(full))
            {
                throw new OptionsException($"--{name}={value}: no such directory ({full}); pass an existing folder");
            }

            return full;
        }

        var servingGiven = One("serving-dir");
        var servingDir = servingGiven is null ? paths.BundledServingDir : ExistingDir("serving-dir", servingGiven);

        var keep = values.ContainsKey("keep-rpc") ? Many("keep-rpc") : ["Predict"];
        if (keep.Count == 0 || keep.Any(string.IsNullOrWhiteSpace))
        {
            throw new OptionsException("--keep-rpc is empty; name at least one RPC, e.g. --keep-rpc=Predict");
        }

        var layout = One("proto-layout") switch
        {
            null or "flat" => ProtoLayout.Flat,
            "upstream" => ProtoLayout.Upstream,
            var other => throw new OptionsException($"--proto-layout={other}: expected flat or upstream"),
        };

        int? jobs = null;
        if (One("jobs") is { } jobsText)
        {
            jobs = int.TryParse(jobsText, NumberStyles.None, CultureInfo.InvariantCulture, out var j) && j > 0
                ? j
                : throw new OptionsException($"--jobs={jobsText}: expected a whole number above 0");
        }

        var server = One("server");
        if (server is not null)
        {
            ValidateServer(server);
        }

        var buildHost = One("build-host");
        if (buildHost is not null && (buildHost.Length == 0 || buildHost.Any(char.IsWhiteSpace) || buildHost.StartsWith('-')))
        {
            throw new OptionsException($"--build-host={buildHost}: expected user@host or an ssh config alias");
        }

        foreach (var url in new[] { ("remote-cache", One("remote-cache"), new[] { "http://", "https://", "grpc://", "grpcs://" }), ("remote-executor", One("remote-executor"), new[] { "grpc://", "grpcs://" }) })
        {
            if (url.Item2 is { } u && !url.Item3.Any(s => u.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                throw new OptionsException($"--{url.Item1}={u}: expected a URL starting with {string.Join(", ", url.Item3)}");
            }
        }

        var emit = One("emit-script");
        if (emit is not null)
        {
            if (emit.Length == 0)
            {
                throw new OptionsException("--emit-script needs a file: --emit-script=FILE");
            }

            emit = Path.GetFullPath(emit, cwd);
            var parent = Path.GetDirectoryName(emit)!;
            if (!Directory.Exists(parent))
            {
                throw new OptionsException($"--emit-script={One("emit-script")}: folder {parent} does not exist");
            }
        }

        var bazel = One("bazel");
        if (bazel is not null && bazel.Contains('/'))
        {
            bazel = Path.GetFullPath(bazel, cwd);
            if (!File.Exists(bazel))
            {
                throw new OptionsException($"--bazel={One("bazel")}: no such file ({bazel}); pass the Bazel binary's path or a name on PATH");
            }
        }

        var modelName = One("model-name") ?? "half_plus_two";
        if (modelName.Length == 0)
        {
            throw new OptionsException("--model-name is empty; name the model, e.g. --model-name=half_plus_two");
        }

        var (acceptAll, acceptRules) = AcceptBreaking(One("accept-breaking"));
        var breaking = One("breaking") ?? BreakingRules.Wire;
        if (!BreakingRules.GateCategories.Contains(breaking, StringComparer.Ordinal))
        {
            throw new OptionsException($"--breaking={breaking}: expected {string.Join(" or ", BreakingRules.GateCategories)} (buf's categories)");
        }

        var against = One("against");
        if (against is not null && (against.Length == 0 || against.StartsWith('-') || against.Any(char.IsWhiteSpace)))
        {
            throw new OptionsException($"--against={against}: expected a git ref of the serving checkout (a tag, branch or commit), e.g. --against=2.19.0");
        }

        return new BuildOptions
        {
            ServingDir = servingDir,
            ServingDirIsBundled = servingGiven is null,
            TensorflowDir = One("tensorflow-dir") is { } tf ? ExistingDir("tensorflow-dir", tf) : null,
            ProtosOut = Path.GetFullPath(One("protos-out") is { Length: > 0 } po ? po : paths.DefaultProtosOut, cwd),
            KeepRpcs = keep.Distinct(StringComparer.Ordinal).ToArray(),
            ProtoLayout = layout,
            AcceptBreaking = acceptAll,
            AcceptBreakingRules = acceptRules,
            Breaking = breaking,
            Against = against,
            Bazel = bazel,
            BazelOpts = values.TryGetValue("bazel-opt", out var bo) ? bo.ToArray() : [],
            AllowBazelMismatch = Flag("allow-bazel-mismatch"),
            InstallBazel = Flag("install-bazel"),
            RemoteCache = One("remote-cache"),
            RemoteExecutor = One("remote-executor"),
            Distdirs = Many("distdir").Select(d => ExistingDir("distdir", d)).ToArray(),
            Jobs = jobs,
            CacheDir = Path.GetFullPath(One("cache-dir") ?? DefaultCacheDir(env), cwd),
            Server = server,
            ModelName = modelName,
            BuildHost = buildHost,
            DryRun = Flag("dry-run"),
            EmitScript = emit,
            AutoFix = Flag("auto-fix"),
            SkipVault = Flag("skip-vault"),
            Verbose = Flag("verbose"),
        };
    }

    private static Dictionary<string, List<string>> Collect(IEnumerable<string> args)
    {
        var known = Specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new OptionsException($"unexpected argument '{arg}'; options look like --name=value (README.md, Options, lists them)");
            }

            var eq = arg.IndexOf('=');
            var name = (eq < 0 ? arg[2..] : arg[2..eq]).ToLowerInvariant();
            string? value = eq < 0 ? null : arg[(eq + 1)..];
            if (HostOptions.Contains(name))
            {
                continue;
            }

            if (!known.TryGetValue(name, out var spec))
            {
                var near = known.Keys.OrderBy(k => Distance(k, name)).First();
                throw new OptionsException($"unknown option --{name}; did you mean --{near}? (README.md, Options, lists them all)");
            }

            if (value is null)
            {
                if (!spec.IsFlag && i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = list[++i];
                }
                else if (!spec.IsFlag)
                {
                    throw new OptionsException($"--{name} needs a value: {spec.Usage}");
                }
                else
                {
                    value = "";
                }
            }

            if (!values.TryGetValue(name, out var bucket))
            {
                values[name] = bucket = [];
            }
            else if (!spec.Repeatable)
            {
                throw new OptionsException($"--{name} was given twice; give it once ({spec.Usage})");
            }

            bucket.Add(value);
        }

        return values;
    }

    /// <summary>--accept-breaking: alone (or =true) everything; =false nothing; else a comma-separated list of buf rule IDs.</summary>
    private static (bool All, IReadOnlyList<string> Rules) AcceptBreaking(string? value)
    {
        switch (value)
        {
            case null or "false" or "0" or "no":
                return (false, []);
            case "" or "true" or "1" or "yes":
                return (true, []);
        }

        var rules = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = rules.Where(r => BreakingRules.Find(r) is null).ToList();
        if (unknown.Count > 0 || rules.Length == 0)
        {
            var valid = BreakingRules.All.Where(r => r.IsIn(BreakingRules.Wire) || r.IsIn(BreakingRules.WireJson))
                .Select(r => r.Id).Order(StringComparer.Ordinal);
            throw new OptionsException($"--accept-breaking={value}: unknown rule {string.Join(", ", unknown.DefaultIfEmpty("(none)"))}; expected buf rule IDs, comma-separated: {string.Join(", ", valid)}");
        }

        return (false, rules.Distinct(StringComparer.Ordinal).ToList());
    }

    private static void ValidateServer(string server)
    {
        var colon = server.LastIndexOf(':');
        var host = colon > 0 ? server[..colon].Trim('[', ']') : "";
        var portText = colon > 0 ? server[(colon + 1)..] : "";
        if (host.Length == 0 || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new OptionsException($"--server={server}: expected host:port with a port from 1 to 65535, e.g. --server=localhost:8500");
        }
    }

    private static string DefaultCacheDir(IReadOnlyDictionary<string, string?> env)
    {
        if (env.TryGetValue("XDG_CACHE_HOME", out var xdg) && !string.IsNullOrEmpty(xdg))
        {
            return Path.Combine(xdg, "servingbuild");
        }

        var home = env.TryGetValue("HOME", out var h) && !string.IsNullOrEmpty(h) ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "servingbuild");
    }

    private static Dictionary<string, string?> ReadEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
