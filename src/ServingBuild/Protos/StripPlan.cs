using Google.Protobuf.Reflection;
using ServingBuild.Options;

namespace ServingBuild.Protos;

/// <summary>
/// What the rewrite does, decided from upstream's descriptors alone: which methods go, which imports nothing
/// left refers to, which files the kept methods reach (the closure to copy) and what each is called in the output.
/// </summary>
public sealed class StripPlan
{
    public const string ApisPrefix = "tensorflow_serving/apis/";

    private StripPlan(FileDescriptorProto serviceFile, IReadOnlyList<string> allRpcs, IReadOnlyList<string> kept, IReadOnlyList<string> removed,
        IReadOnlyList<(int Service, int Method)> removedMethods, IReadOnlyList<int> removedImportIndexes, IReadOnlyDictionary<string, string> outputNames)
    {
        ServiceFile = serviceFile;
        AllRpcs = allRpcs;
        Kept = kept;
        Removed = removed;
        RemovedMethods = removedMethods;
        RemovedImportIndexes = removedImportIndexes;
        OutputNames = outputNames;
    }

    /// <summary>The first service file (prediction_service.proto); <see cref="ServiceFiles"/> holds every one.</summary>
    public FileDescriptorProto ServiceFile { get; }

    /// <summary>Each service file with what is cut from it.</summary>
    public IReadOnlyList<ServiceFileStrip> ServiceFiles { get; private init; } = [];

    /// <summary>Every RPC upstream declares, in order.</summary>
    public IReadOnlyList<string> AllRpcs { get; }

    public IReadOnlyList<string> Kept { get; }

    public IReadOnlyList<string> Removed { get; }

    public IReadOnlyList<(int Service, int Method)> RemovedMethods { get; }

    public IReadOnlyList<int> RemovedImportIndexes { get; }

    /// <summary>The imports removed from every service file (paths as upstream writes them).</summary>
    public IReadOnlyList<string> RemovedImports => ServiceFiles.SelectMany(s => s.RemovedImports).ToList();

    public IReadOnlyCollection<(string File, string Import)> RemovedImportPairs => ServiceFiles.SelectMany(s => s.RemovedImports.Select(i => (s.File.Name, i))).ToList();

    /// <summary>Upstream name -> output name for every file written (the well-known types are not written).</summary>
    public IReadOnlyDictionary<string, string> OutputNames { get; }

    /// <param name="locate">maps a proto name to the file on disk, for messages (identity when omitted)</param>
    public static StripPlan Make(FileDescriptorSet upstream, string serviceFileName, IReadOnlyCollection<string> keep, ProtoLayout layout, Func<string, bool> isWellKnown,
        Func<string, string>? locate = null) =>
        Make(upstream, [serviceFileName], keep, layout, isWellKnown, locate);

    /// <summary>One plan over several service files (PredictionService and ModelService): RPC names are unique across them.</summary>
    public static StripPlan Make(FileDescriptorSet upstream, IReadOnlyList<string> serviceFileNames, IReadOnlyCollection<string> keep, ProtoLayout layout, Func<string, bool> isWellKnown,
        Func<string, string>? locate = null)
    {
        var index = new DescriptorIndex(upstream);
        var files = serviceFileNames.Select(n => index.File(n) ?? throw new InvalidOperationException($"{n} is not in the descriptor set")).ToList();
        var file = files[0];
        var all = files.SelectMany(f => f.Service.SelectMany(s => s.Method.Select(m => m.Name))).ToList();
        if (all.Count == 0)
        {
            throw new ToolkitException($"{locate?.Invoke(file.Name) ?? file.Name} declares no service with RPCs; point --serving-dir at a TensorFlow Serving checkout");
        }

        // --keep-rpc names RPCs without their service, so a name two services share would be ambiguous.
        var twice = all.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 && keep.Contains(g.Key));
        if (twice is not null)
        {
            var owners = files.SelectMany(f => f.Service.Where(s => s.Method.Any(m => m.Name == twice.Key)).Select(s => $"{f.Package}.{s.Name}"));
            throw new ToolkitException($"--keep-rpc={twice.Key}: more than one service declares it ({string.Join(", ", owners)}); RPC names must be unique across the kept services", ExitCodes.Usage);
        }

        var unknown = keep.Where(k => !all.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            var note = serviceFileNames.Contains(ServingProtoTree.ModelServiceProto)
                ? null
                : $"this tree has no {ServingProtoTree.ModelServiceProto}, so ModelService RPCs such as GetModelStatus cannot be kept";
            throw new UnknownRpcException(unknown, all, string.Join(" and ", files.Select(f => locate?.Invoke(f.Name) ?? f.Name)), note);
        }

        var strips = new List<ServiceFileStrip>();
        var keptMethods = new List<MethodDescriptorProto>();
        foreach (var serviceFile in files)
        {
            var removedMethods = new List<(int, int)>();
            var keptHere = new List<MethodDescriptorProto>();
            for (var s = 0; s < serviceFile.Service.Count; s++)
            {
                for (var m = 0; m < serviceFile.Service[s].Method.Count; m++)
                {
                    var method = serviceFile.Service[s].Method[m];
                    if (keep.Contains(method.Name))
                    {
                        keptHere.Add(method);
                    }
                    else
                    {
                        removedMethods.Add((s, m));
                    }
                }
            }

            keptMethods.AddRange(keptHere);
            var removedImports = RemovedImportsOf(index, serviceFile, keptHere);
            strips.Add(new ServiceFileStrip(serviceFile, removedMethods, removedImports));
        }

        // The closure: each service file's remaining imports, then everything those import.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>(files.Select(f => f.Name));
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (names.ContainsKey(name) || isWellKnown(name))
            {
                continue;
            }

            names[name] = layout == ProtoLayout.Flat && name.StartsWith(ApisPrefix, StringComparison.Ordinal) ? name[ApisPrefix.Length..] : name;
            var f = index.File(name) ?? throw new InvalidOperationException($"{name} is not in the descriptor set");
            var strip = strips.FirstOrDefault(x => x.File == f);
            for (var i = 0; i < f.Dependency.Count; i++)
            {
                if (!(strip is not null && strip.RemovedImportIndexes.Contains(i)))
                {
                    queue.Enqueue(f.Dependency[i]);
                }
            }
        }

        var clash = names.GroupBy(kv => kv.Value).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ToolkitException($"the flat layout would write {string.Join(" and ", clash.Select(kv => kv.Key))} both as {clash.Key}; use --proto-layout=upstream");
        }

        var first = strips[0];
        return new StripPlan(file, all, all.Where(keep.Contains).ToList(), all.Where(n => !keep.Contains(n)).ToList(), first.RemovedMethods, first.RemovedImportIndexes, names)
        {
            ServiceFiles = strips,
        };
    }

    /// <summary>The imports of a service file that nothing left in it refers to once the other methods are gone.</summary>
    private static List<int> RemovedImportsOf(DescriptorIndex index, FileDescriptorProto file, IReadOnlyList<MethodDescriptorProto> keptMethods)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in keptMethods)
        {
            used.Add(m.InputType);
            used.Add(m.OutputType);
        }

        void UseMessage(DescriptorProto message)
        {
            foreach (var f in message.Field.Concat(message.Extension))
            {
                used.Add(f.TypeName);
                used.Add(f.Extendee);
            }

            foreach (var n in message.NestedType)
            {
                UseMessage(n);
            }
        }

        foreach (var m in file.MessageType)
        {
            UseMessage(m);
        }

        foreach (var x in file.Extension)
        {
            used.Add(x.TypeName);
            used.Add(x.Extendee);
        }

        var usedFiles = used.Where(t => t.Length > 0).Select(index.DefiningFile).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var removedImports = new List<int>();
        for (var i = 0; i < file.Dependency.Count; i++)
        {
            if (!Visible(index, file.Dependency[i]).Overlaps(usedFiles))
            {
                removedImports.Add(i);
            }
        }

        return removedImports;
    }

    /// <summary>A file and everything it re-exports through `import public`.</summary>
    private static HashSet<string> Visible(DescriptorIndex index, string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([name]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n) || index.File(n) is not { } f)
            {
                continue;
            }

            foreach (var p in f.PublicDependency)
            {
                stack.Push(f.Dependency[p]);
            }
        }

        return seen;
    }
}
