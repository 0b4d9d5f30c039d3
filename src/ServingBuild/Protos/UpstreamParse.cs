using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>
/// Parses upstream's prediction_service.proto with everything it imports, and model_service.proto too when a
/// kept RPC is not PredictionService's and the tree has ModelService. When files are missing (a partial
/// TensorFlow tree), the RPCs that need them can still be stripped: each missing file is replaced by a
/// stand-in declaring the names protoc reported undefined in the files importing it, and the parse is
/// repeated. Every real file keeps its real descriptors; a kept RPC whose closure reaches a stand-in fails,
/// naming the missing file.
/// </summary>
public static class UpstreamParse
{
    public sealed record Result(FileDescriptorSet Set, IReadOnlyList<string> StandIns)
    {
        /// <summary>The service files to strip: prediction_service.proto, then model_service.proto when a kept RPC is ModelService's.</summary>
        public IReadOnlyList<string> ServiceFiles { get; init; } = [ServingProtoTree.ServiceProto];

        /// <summary>The files <see cref="ServiceFiles"/> import, directly or not (the inputs to lock); the set may hold more, parsed for drift only.</summary>
        public IReadOnlySet<string> Reached()
        {
            var files = Set.File.ToDictionary(f => f.Name, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(ServiceFiles);
            while (stack.Count > 0)
            {
                var name = stack.Pop();
                if (seen.Add(name) && files.TryGetValue(name, out var file))
                {
                    foreach (var dependency in file.Dependency)
                    {
                        stack.Push(dependency);
                    }
                }
            }

            return seen;
        }
    }

    /// <param name="alsoModelService">parse model_service.proto even when no kept RPC is ModelService's (the previous run kept one: drift compares against it)</param>
    public static async Task<Result> RunAsync(Protoc protoc, ServingProtoTree tree, IReadOnlyCollection<string> keep, CancellationToken cancellationToken, bool alsoModelService = false)
    {
        var result = await ParseAsync(protoc, tree, [ServingProtoTree.ServiceProto], keep, cancellationToken).ConfigureAwait(false);
        // ModelService is parsed only when asked for: a Predict-only run reads (and locks) exactly what it did before.
        var predictionRpcs = result.Set.File.Where(f => f.Name == ServingProtoTree.ServiceProto).SelectMany(f => f.Service).SelectMany(s => s.Method).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var needed = !keep.All(predictionRpcs.Contains);
        if ((!needed && !alsoModelService) || tree.RootOf(ServingProtoTree.ModelServiceProto) is null)
        {
            return result;
        }

        string[] both = [ServingProtoTree.ServiceProto, ServingProtoTree.ModelServiceProto];
        return await ParseAsync(protoc, tree, both, keep, cancellationToken).ConfigureAwait(false) with { ServiceFiles = needed ? both : [ServingProtoTree.ServiceProto] };
    }

    private static async Task<Result> ParseAsync(Protoc protoc, ServingProtoTree tree, IReadOnlyList<string> services, IReadOnlyCollection<string> keep, CancellationToken cancellationToken)
    {
        var (set, first) = await protoc.TryParseAsync(tree.IncludeRoots, services, sourceInfo: true, cancellationToken).ConfigureAwait(false);
        if (set is not null)
        {
            return new Result(set, []);
        }

        var original = protoc.Explain(first, tree.IncludeRoots, tree.Locate);
        if (original is not ProtoFileMissingException)
        {
            throw original;
        }

        var lines = first.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var missing = lines.Where(l => l.EndsWith(": File not found.", StringComparison.Ordinal)).Select(l => l[..^": File not found.".Length]).ToList();
        var messages = lines.Select(ProtocMessage.TryParse).OfType<ProtocMessage>()
            .Where(m => !m.Text.Equals("File not found.", StringComparison.Ordinal)).ToList();
        // Anything but missing imports and the undefined names they cause is a real error: report that instead.
        if (messages.Any(m => !IsImportEcho(m) && !IsUndefined(m)))
        {
            throw original;
        }

        // protoc names the file it was given by its disk path and imported files by their import names.
        string Name(string file) => services.FirstOrDefault(s => file == tree.Locate(s)) ?? file;
        var importers = messages.Where(IsImportEcho).Select(m => (File: Name(m.File), Import: m.Text.Split('"')[1], Message: m)).ToList();
        var shadow = Directory.CreateTempSubdirectory("servingbuild-standins-").FullName;
        try
        {
            foreach (var file in missing)
            {
                var users = importers.Where(i => i.Import == file).Select(i => i.File).ToHashSet(StringComparer.Ordinal);
                var names = messages.Where(m => IsUndefined(m) && users.Contains(Name(m.File))).Select(m => m.Text.Split('"')[1].TrimStart('.')).Distinct().ToList();
                var package = names.Where(n => n.Contains('.')).Select(n => n[..n.LastIndexOf('.')]).FirstOrDefault();
                var text = "syntax = \"proto3\";\n" + (package is null ? "" : $"package {package};\n")
                    + string.Concat(names.Select(n => n[(n.LastIndexOf('.') + 1)..]).Distinct().Select(n => $"message {n} {{}}\n"));
                var path = Path.Combine(shadow, file);
                Files.AtomicFile.WriteAllText(path, text);
            }

            var (again, _) = await protoc.TryParseAsync([.. tree.IncludeRoots, shadow], services, sourceInfo: true, cancellationToken).ConfigureAwait(false);
            if (again is null)
            {
                throw original;
            }

            // The files the kept RPCs need: those defining their request and response types, and their imports.
            var index = new DescriptorIndex(again);
            var methods = again.File.Where(f => services.Contains(f.Name)).SelectMany(f => f.Service).SelectMany(s => s.Method).Where(m => keep.Contains(m.Name)).ToList();
            var queue = new Queue<(string File, string Rpc)>(methods.SelectMany(m => new[] { m.InputType, m.OutputType }
                .Select(index.DefiningFile).OfType<string>().Select(f => (f, m.Name))));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (queue.Count > 0)
            {
                var (file, rpc) = queue.Dequeue();
                if (!seen.Add(file))
                {
                    continue;
                }

                if (missing.Contains(file))
                {
                    var at = importers.FirstOrDefault(i => i.Import == file).Message;
                    var where = at is null ? "an input" : $"{tree.Locate(Name(at.File))}:{at.Line}:{at.Column}";
                    throw new ProtoFileMissingException(file, $"{where}, needed by the kept RPC {rpc}", [.. tree.IncludeRoots, tree.WellKnownTypes]);
                }

                foreach (var dep in index.File(file)?.Dependency ?? [])
                {
                    queue.Enqueue((dep, rpc));
                }
            }

            return new Result(again, missing);
        }
        finally
        {
            Directory.Delete(shadow, recursive: true);
        }
    }

    private static bool IsImportEcho(ProtocMessage m) =>
        m.Text.StartsWith("Import \"", StringComparison.Ordinal) && m.Text.EndsWith("\" was not found or had errors.", StringComparison.Ordinal);

    private static bool IsUndefined(ProtocMessage m) => m.Text.EndsWith("\" is not defined.", StringComparison.Ordinal);
}
