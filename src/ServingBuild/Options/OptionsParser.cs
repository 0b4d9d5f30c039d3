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
        new("bazel-mirror", "URL", false, "Bazel releases from this base instead of GitHub, same layout: URL/<version>/<asset> (like BAZELISK_BASE_URL)"),
        new("remote-cache", "URL", false, "Bazel remote cache (http, https, grpc); headers from SERVINGBUILD_REMOTE_HEADERS"),
        new("remote-executor", "URL", false, "Bazel remote executor (grpc, grpcs)"),
        new("distdir", "DIR", true, "Bazel --distdir for air-gapped builds (repeatable)"),
        new("jobs", "N", false, "Bazel --jobs (default: sized to the host's cores and memory)"),
        new("cache-dir", "DIR", false, "persistent caches (default: $XDG_CACHE_HOME/servingbuild or ~/.cache/servingbuild)"),
        new("server", "HOST:PORT", false, "verify a server that is already running; start nothing"),
        new("model-name", "NAME", false, "model to verify (default: half_plus_two)"),
        new("server-binary", "PATH", false, "the model server Verify starts (default: artifacts/bin/tensorflow_model_server when present, else the checkout's bazel-bin)"),
        new("model-base-path", "DIR", false, "the model Verify serves: a folder of numeric version folders (default: the bundled half_plus_two)"),
        new("model-version", "N", false, "the model version Verify asks for (default: the latest the server loaded)"),
        new("signature-name", "NAME", false, "the signature Verify's requests name (default: the request's own, else serving_default)"),
        new("request", "FILE", false, "a PredictRequest in protobuf JSON for Verify to send (default: half_plus_two's checks)"),
        new("expect", "FILE", false, "the outputs Verify expects for --request, as a PredictResponse in protobuf JSON"),
        new("tolerance", "X", false, "relative tolerance for floating outputs against --expect (default: 1e-6)"),
        new("build-host", "USER@HOST", false, "run the host steps on this machine over ssh"),
        new("dry-run", null, false, "print the plan, change nothing"),
        new("emit-script", "FILE", false, "write the host plan as a standalone bash script"),
        new("auto-fix", null, false, "apply the safe fixes for a diagnosed build failure and retry once"),
        new("skip-vault", null, false, "CentOS 7: do not point yum at vault.centos.org"),
        new("verbose", null, false, "print every line of external programs"),
    ];

    /// <summary>Longer values are refused: no path on Linux is longer (PATH_MAX), and no option needs more.</summary>
    public const int MaxValueLength = 4096;

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

        // RPC names are proto identifiers; anything else cannot name one and would only reach logs and files.
        if (keep.FirstOrDefault(k => !(char.IsAsciiLetter(k[0]) || k[0] == '_') || !k.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) is { } odd)
        {
            throw new OptionsException($"--keep-rpc: '{odd}' is not an RPC name (letters, digits and '_'); e.g. --keep-rpc=Predict,Classify");
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
                var shown = BazelBuild.UrlCredentials.Secrets(u).Aggregate(u, (text, secret) => text.Replace(secret, "***", StringComparison.Ordinal));
                throw new OptionsException($"--{url.Item1}={shown}: expected a URL starting with {string.Join(", ", url.Item3)}");
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

            if (ServingBuild.Files.AtomicFile.Describe(emit) is { } kind)
            {
                throw new OptionsException($"--emit-script={One("emit-script")}: {emit} is {kind}, not a regular file; name a file to write the script to");
            }
        }

        var bazel = One("bazel");
        if (bazel is not null && bazel.StartsWith('-'))
        {
            throw new OptionsException($"--bazel={bazel}: a program name cannot start with '-'; pass the Bazel binary's path or a name on PATH");
        }

        if (bazel is not null && bazel.Contains('/'))
        {
            bazel = Path.GetFullPath(bazel, cwd);
            if (!File.Exists(bazel))
            {
                throw new OptionsException($"--bazel={One("bazel")}: no such file ({bazel}); pass the Bazel binary's path or a name on PATH");
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(bazel) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                throw new OptionsException($"--bazel={One("bazel")}: {bazel} is not executable; chmod +x it, or pass the Bazel binary's path");
            }
        }

        var serverBinary = One("server-binary");
        if (serverBinary is { Length: 0 })
        {
            throw new OptionsException("--server-binary needs a file: --server-binary=PATH");
        }

        var bazelMirror = One("bazel-mirror") is { } mirror ? BazelMirrorUrl(mirror) : null;

        var modelName = One("model-name") ?? "half_plus_two";
        if (modelName.Length == 0)
        {
            throw new OptionsException("--model-name is empty; name the model, e.g. --model-name=half_plus_two");
        }

        var cacheDir = Path.GetFullPath(One("cache-dir") is { Length: > 0 } cd ? cd : DefaultCacheDir(env), cwd);
        EnsureFolderPossible("cache-dir", cacheDir);
        var protosOut = Path.GetFullPath(One("protos-out") is { Length: > 0 } po ? po : paths.DefaultProtosOut, cwd);
        EnsureFolderPossible("protos-out", protosOut);

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

        string? ExistingFile(string name)
        {
            if (One(name) is not { } value)
            {
                return null;
            }

            var full = value.Length == 0 ? "" : Path.GetFullPath(value, cwd);
            return File.Exists(full) ? full : throw new OptionsException($"--{name}={value}: no such file{(full.Length > 0 ? $" ({full})" : "")}; pass an existing file");
        }

        long? modelVersion = null;
        if (One("model-version") is { } versionText)
        {
            modelVersion = long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var mv)
                ? mv
                : throw new OptionsException($"--model-version={versionText}: expected a version number (0 or more), e.g. --model-version=123");
        }

        var tolerance = 1e-6;
        if (One("tolerance") is { } toleranceText
            && !(double.TryParse(toleranceText, NumberStyles.Float, CultureInfo.InvariantCulture, out tolerance) && double.IsFinite(tolerance) && tolerance >= 0))
        {
            throw new OptionsException($"--tolerance={toleranceText}: expected a relative tolerance of 0 or more, e.g. --tolerance=1e-6");
        }

        var signature = One("signature-name");
        if (signature is { Length: 0 })
        {
            throw new OptionsException("--signature-name is empty; name the signature, e.g. --signature-name=serving_default");
        }

        var request = ExistingFile("request");
        var expect = ExistingFile("expect");
        if (expect is not null && request is null)
        {
            throw new OptionsException($"--expect={One("expect")} needs --request=FILE: the expected outputs are for the request you send");
        }

        return new BuildOptions
        {
            ServingDir = servingDir,
            ServingDirIsBundled = servingGiven is null,
            TensorflowDir = One("tensorflow-dir") is { } tf ? ExistingDir("tensorflow-dir", tf) : null,
            ProtosOut = protosOut,
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
            BazelMirror = bazelMirror,
            RemoteCache = RemoteCacheUserInfo.Attach(One("remote-cache"), env),
            RemoteExecutor = One("remote-executor"),
            Distdirs = Many("distdir").Select(d => ExistingDir("distdir", d)).ToArray(),
            Jobs = jobs,
            CacheDir = cacheDir,
            Server = server,
            ModelName = modelName,
            ServerBinary = serverBinary is null ? null : Path.GetFullPath(serverBinary, cwd),
            ModelBasePath = One("model-base-path") is { } mbp ? ExistingDir("model-base-path", mbp) : null,
            ModelVersion = modelVersion,
            SignatureName = signature,
            RequestFile = request,
            ExpectFile = expect,
            Tolerance = tolerance,
            BuildHost = buildHost,
            DryRun = Flag("dry-run"),
            EmitScript = emit,
            AutoFix = Flag("auto-fix"),
            SkipVault = Flag("skip-vault"),
            Verbose = Flag("verbose"),
        };
    }

    /// <summary>
    /// An absolute http, https or file URL without credentials (they would reach logs and the emitted script; use
    /// ~/.netrc or a proxy instead), a query or a fragment (the path is extended with /&lt;version&gt;/&lt;asset&gt;).
    /// </summary>
    private static string BazelMirrorUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "file"))
        {
            throw new OptionsException($"--bazel-mirror={value}: expected an http://, https:// or file:// URL of a folder laid out like GitHub's releases/download (URL/<version>/<asset>)");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new OptionsException("--bazel-mirror: the URL carries credentials, which would reach logs and scripts; remove them and put them in ~/.netrc or a proxy");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '`' or '$'))
        {
            throw new OptionsException($"--bazel-mirror={value}: expected a plain folder URL (no query, fragment, quotes, $ or spaces); the version and asset name are appended to it");
        }

        return value.TrimEnd('/');
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
                throw new OptionsException($"unexpected argument '{Shown(arg)}'; options look like --name=value (README.md, Options, lists them)");
            }

            var eq = arg.IndexOf('=');
            var name = (eq < 0 ? arg[2..] : arg[2..eq]).ToLowerInvariant();
            string? value = eq < 0 ? null : arg[(eq + 1)..];
            if (!known.TryGetValue(name, out var spec))
            {
                throw new OptionsException($"unknown option --{Shown(name)}; did you mean --{Nearest(name)}? (README.md, Options, lists them all)");
            }

            if (value is not null)
            {
                CheckValue(name, value);
            }

            if (value is null)
            {
                if (!spec.IsFlag && i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = list[++i];
                    CheckValue(name, value);
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

    /// <summary>
    /// What every value must be, whatever the option: not empty (`--name=` is a mistake, not a default), not
    /// longer than <see cref="MaxValueLength"/>, and free of control characters (a newline or an escape in a path
    /// or a name only ever comes from a paste gone wrong or an attack) and of bidirectional overrides.
    /// </summary>
    private static void CheckValue(string name, string value)
    {
        if (value.Length == 0)
        {
            var usage = Specs.First(s => s.Name == name).Usage;
            throw new OptionsException(usage.Contains('=')
                ? $"--{name} is empty; give it a value ({usage}) or leave the option out for its default"
                : $"--{name}= has an empty value; write --{name} alone, or --{name}=true or --{name}=false");
        }

        if (value.Length > MaxValueLength)
        {
            throw new OptionsException($"--{name} has a value of {value.Length} characters; the limit is {MaxValueLength} (the longest path Linux accepts)");
        }

        var bad = value.FirstOrDefault(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
        if (bad != default)
        {
            throw new OptionsException($"--{name} contains the control character U+{(int)bad:X4}; values may not hold newlines, tabs, escapes or direction overrides: retype it");
        }
    }

    /// <summary>An option name as it may be printed in one line: short, no control characters.</summary>
    private static string Shown(string name)
    {
        var clean = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 60 ? clean[..60] + "..." : clean;
    }

    /// <summary>The known option closest to what was typed, for the "did you mean" hint.</summary>
    public static string Nearest(string name) =>
        Specs.Select(s => s.Name).OrderBy(k => Distance(k, name.Length > 64 ? name[..64] : name)).First();


    /// <summary>A folder can be created at <paramref name="dir"/> only when its nearest existing ancestor is a folder.</summary>
    private static void EnsureFolderPossible(string name, string dir)
    {
        for (var up = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(dir)); !string.IsNullOrEmpty(up); up = Path.GetDirectoryName(up))
        {
            if (Directory.Exists(up))
            {
                return;
            }

            if (File.Exists(up) || ServingBuild.Files.AtomicFile.Describe(up) is not null)
            {
                throw new OptionsException($"--{name}={dir}: {up} is {ServingBuild.Files.AtomicFile.Describe(up) ?? "a file"}, not a folder, so nothing can be created below it; choose another path");
            }
        }
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
        var host = colon > 0 ? server[..colon] : "";
        host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var portText = colon > 0 ? server[(colon + 1)..] : "";
        // A host name (letters, digits, '-', '.', '_'), an IPv4 address, or an IPv6 one in brackets: nothing a
        // gRPC target or a URL would read as something else.
        var hostOk = host.Length > 0 && !host.StartsWith('-')
            && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':');
        if (!hostOk || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
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
