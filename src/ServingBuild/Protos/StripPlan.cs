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

    public FileDescriptorProto ServiceFile { get; }

    /// <summary>Every RPC upstream declares, in order.</summary>
    public IReadOnlyList<string> AllRpcs { get; }

    public IReadOnlyList<string> Kept { get; }

    public IReadOnlyList<string> Removed { get; }

    public IReadOnlyList<(int Service, int Method)> RemovedMethods { get; }

    public IReadOnlyList<int> RemovedImportIndexes { get; }

    public IReadOnlyList<string> RemovedImports => RemovedImportIndexes.Select(i => ServiceFile.Dependency[i]).ToList();

    public IReadOnlyCollection<(string File, string Import)> RemovedImportPairs => RemovedImports.Select(i => (ServiceFile.Name, i)).ToList();

    /// <summary>Upstream name -> output name for every file written (the well-known types are not written).</summary>
    public IReadOnlyDictionary<string, string> OutputNames { get; }

    /// <param name="locate">maps a proto name to the file on disk, for messages (identity when omitted)</param>
    public static StripPlan Make(FileDescriptorSet upstream, string serviceFileName, IReadOnlyCollection<string> keep, ProtoLayout layout, Func<string, bool> isWellKnown,
        Func<string, string>? locate = null)
    {
        var index = new DescriptorIndex(upstream);
        var file = index.File(serviceFileName) ?? throw new InvalidOperationException($"{serviceFileName} is not in the descriptor set");
        var all = file.Service.SelectMany(s => s.Method.Select(m => m.Name)).ToList();
        if (all.Count == 0)
        {
            throw new ToolkitException($"{locate?.Invoke(serviceFileName) ?? serviceFileName} declares no service with RPCs; point --serving-dir at a TensorFlow Serving checkout");
        }

        var unknown = keep.Where(k => !all.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new UnknownRpcException(unknown, all, locate?.Invoke(serviceFileName) ?? serviceFileName);
        }

        var removedMethods = new List<(int, int)>();
        var keptMethods = new List<MethodDescriptorProto>();
        for (var s = 0; s < file.Service.Count; s++)
        {
            for (var m = 0; m < file.Service[s].Method.Count; m++)
            {
                var method = file.Service[s].Method[m];
                if (keep.Contains(method.Name))
                {
                    keptMethods.Add(method);
                }
                else
                {
                    removedMethods.Add((s, m));
                }
            }
        }

        // The types the file still refers to once the methods are gone.
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

        // The closure: the service file's remaining imports, then everything those import.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(file.Name);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (names.ContainsKey(name) || isWellKnown(name))
            {
                continue;
            }

            names[name] = layout == ProtoLayout.Flat && name.StartsWith(ApisPrefix, StringComparison.Ordinal) ? name[ApisPrefix.Length..] : name;
            var f = index.File(name) ?? throw new InvalidOperationException($"{name} is not in the descriptor set");
            for (var i = 0; i < f.Dependency.Count; i++)
            {
                if (!(f == file && removedImports.Contains(i)))
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

        return new StripPlan(file, all, all.Where(keep.Contains).ToList(), all.Where(n => !keep.Contains(n)).ToList(), removedMethods, removedImports, names);
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
