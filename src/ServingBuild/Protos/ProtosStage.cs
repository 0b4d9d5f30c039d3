using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ServingBuild.Options;
using ServingBuild.Protos.Drift;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Protos;

/// <summary>
/// The Protos task: parse the serving tree's prediction_service.proto (and model_service.proto when a ModelService
/// RPC is kept) with protoc, strip the RPCs not kept
/// and the imports nothing then needs, copy the closure (flat or upstream layout), prove the result equal to
/// upstream on the wire, and swap it into --protos-out with protos.lock.json. Identical inputs: "up to date".
/// </summary>
public sealed class ProtosStage : IStage
{
    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = context.Options;
        var log = context.Log;
        var protoc = Protoc.FromGrpcTools(context.Runner);
        var tree = await ServingProtoTree.OpenAsync(options.ServingDir, options.TensorflowDir, options.Bazel, protoc.WellKnownTypes, context.Runner, cancellationToken, options.CacheDir)
            .ConfigureAwait(false);
        log.Detail($"Protos: inputs found after {clock.Elapsed.TotalMilliseconds:0} ms");
        if (options.Against is { } against)
        {
            // Like `buf breaking --against`: a report only; --protos-out and its lock are not touched.
            await DriftCheck.AgainstRefAsync(context, protoc, tree, against, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var outDir = Path.GetFullPath(options.ProtosOut);
        foreach (var input in tree.IncludeRoots)
        {
            if (Overlaps(outDir, input))
            {
                throw new ToolkitException($"--protos-out={outDir} overlaps the input tree {input}; the stage never writes into its inputs, so pass a folder outside it", ExitCodes.Usage);
            }
        }

        // Checked before anything is created, and again once the lock is held (another run may have written meanwhile).
        ProtosOutputFolder.EnsureOwned(outDir);
        using var outputLock = options.DryRun ? null : await ProtosOutputFolder.LockAsync(outDir, log.Info, cancellationToken).ConfigureAwait(false);
        ProtosOutputFolder.EnsureOwned(outDir);
        var previous = ProtosLock.Read(outDir);
        var layout = options.ProtoLayout == ProtoLayout.Flat ? "flat" : "upstream";
        var root = context.Paths.Root;
        log.Detail($"Protos: lock read after {clock.Elapsed.TotalMilliseconds:0} ms");

        if (previous is not null && IsUpToDate(previous, tree, options, layout, protoc.Package, outDir, root))
        {
            log.Info($"Protos: {outDir} is up to date ({clock.Elapsed.TotalMilliseconds:0} ms stage time)");
            return ExitCodes.Ok;
        }

        // protoc's version and the git facts are only needed for the lock: get them while the parse runs.
        var versionTask = previous?.ProtocPackage == protoc.Package ? Task.FromResult(previous.Protoc) : protoc.VersionAsync(cancellationToken);
        var gitTask = GitInfo.ReadAsync(tree.ServingDir, context.Runner, cancellationToken);
        log.Detail($"Protos: serving tree {tree.ServingDir}, TensorFlow protos {tree.TensorflowRoot}, include {string.Join(":", tree.IncludeRoots)}");
        // A previous run that kept ModelService RPCs is compared with ModelService as it is now, kept or not.
        var parsed = await UpstreamParse.RunAsync(protoc, tree, options.KeepRpcs, cancellationToken,
            alsoModelService: previous?.Inputs.Any(i => i.Path == ServingProtoTree.ModelServiceProto) == true).ConfigureAwait(false);
        var upstream = parsed.Set;
        if (parsed.StandIns.Count > 0)
        {
            log.Info($"Protos: {string.Join(", ", parsed.StandIns)} cannot be parsed (files they import are missing); only the RPCs that need them can be stripped");
        }

        log.Detail($"Protos: upstream parsed after {clock.Elapsed.TotalMilliseconds:0} ms");
        var reached = parsed.Reached();
        var inputs = upstream.File.Where(f => !tree.IsWellKnown(f.Name) && !parsed.StandIns.Contains(f.Name) && reached.Contains(f.Name))
            .Select(f =>
            {
                var r = tree.RootOf(f.Name) ?? throw new InvalidOperationException($"{f.Name} parsed but not found on disk");
                return new LockedFile(f.Name, ProtosLock.Sha256(Path.Combine(r, f.Name)), IndexOf(tree.IncludeRoots, r));
            })
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        if (previous is not null && !SameInputs(previous.Inputs, inputs))
        {
            await DriftCheck.AgainstLockAsync(context, protoc, previous, upstream, tree, outDir, cancellationToken).ConfigureAwait(false);
        }

        var plan = StripPlan.Make(upstream, parsed.ServiceFiles, options.KeepRpcs.ToHashSet(StringComparer.Ordinal), options.ProtoLayout, tree.IsWellKnown, tree.Locate);
        var renames = plan.OutputNames.Where(kv => kv.Key != kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        using var staging = new ProtosOutputFolder(outDir, options.DryRun);
        var outputs = new List<LockedFile>();
        foreach (var (name, outName) in plan.OutputNames.OrderBy(kv => kv.Value, StringComparer.Ordinal))
        {
            var file = upstream.File.First(f => f.Name == name);
            var bytes = await File.ReadAllBytesAsync(tree.Locate(name), cancellationToken).ConfigureAwait(false);
            var service = plan.ServiceFiles.FirstOrDefault(s => s.File.Name == name);
            if (service is not null || file.Dependency.Any(renames.ContainsKey))
            {
                var text = Encoding.UTF8.GetString(bytes);
                var rewritten = ProtoRewrite.Apply(text, file,
                    service?.RemovedMethods ?? [],
                    service?.RemovedImportIndexes ?? [],
                    renames);
                bytes = Encoding.UTF8.GetBytes(rewritten);
            }

            staging.Write(outName, bytes);
            outputs.Add(new LockedFile(outName, ProtosLock.Sha256(bytes)));
        }

        // The proof: the output compiles alone and is upstream on the wire.
        FileDescriptorSet compiled;
        try
        {
            compiled = await protoc.ParseAsync([staging.Staging], plan.OutputNames.Values.Order(StringComparer.Ordinal).ToList(), sourceInfo: false,
                n => Path.Combine(staging.Staging, n), cancellationToken).ConfigureAwait(false);
        }
        catch (ToolkitException ex)
        {
            throw new ToolkitException($"the rewritten protos do not compile on their own ({ex.Message}); nothing was written; this is a bug in the Protos stage, please report it with the serving tree", ExitCodes.StageFailed, ex);
        }

        log.Detail($"Protos: output compiled after {clock.Elapsed.TotalMilliseconds:0} ms");
        var findings = WireDiff.Compare(upstream, compiled, plan.OutputNames, plan.Kept, plan.RemovedImportPairs);
        if (findings.Count > 0)
        {
            throw new WireMismatchException(findings);
        }

        log.Detail($"Protos: wire-checked after {clock.Elapsed.TotalMilliseconds:0} ms");
        if (options.DryRun)
        {
            log.Info($"Protos (dry run): would keep {string.Join(", ", plan.Kept)}, remove {(plan.Removed.Count > 0 ? string.Join(", ", plan.Removed) : "nothing")}, "
                + $"and write {string.Join(", ", outputs.Select(o => o.Path))} with {ProtosLock.FileName} to {outDir}; checked on the wire, nothing written");
            return ExitCodes.Ok;
        }

        var git = await gitTask.ConfigureAwait(false);
        var lockFile = new ProtosLock
        {
            ServingDir = ProtosLock.Portable(tree.ServingDir, root),
            TensorflowDir = ProtosLock.Portable(tree.TensorflowRoot, root),
            IncludeRoots = tree.IncludeRoots.Select(r => ProtosLock.Portable(r, root)).ToList(),
            GitCommit = git.Commit,
            GitTag = git.Tag,
            ServingVersion = ServingVersion.Detect(tree.ServingDir, git.Tag),
            Layout = layout,
            KeptRpcs = plan.Kept,
            RemovedRpcs = plan.Removed,
            RemovedImports = plan.RemovedImports,
            Protoc = await versionTask.ConfigureAwait(false),
            ProtocPackage = protoc.Package,
            Inputs = inputs,
            Outputs = outputs.OrderBy(o => o.Path, StringComparer.Ordinal).ToList(),
            Descriptors = Convert.ToBase64String(compiled.ToByteArray()),
        };
        staging.Write(ProtosLock.FileName, Encoding.UTF8.GetBytes(lockFile.ToJson()));
        log.Detail($"Protos: lock staged after {clock.Elapsed.TotalMilliseconds:0} ms");
        staging.Commit();

        log.Info($"Protos: kept {string.Join(", ", plan.Kept)}"
            + (plan.Removed.Count > 0 ? $"; removed {string.Join(", ", plan.Removed)}" : "")
            + (plan.RemovedImports.Count > 0 ? $" and imports {string.Join(", ", plan.RemovedImports)}" : ""));
        log.Info($"Protos: wrote {outputs.Count} files to {outDir}, identical to upstream on the wire ({clock.Elapsed.TotalMilliseconds:0} ms stage time)");
        return ExitCodes.Ok;
    }

    /// <summary>The fast path: hashes only, no protoc run.</summary>
    internal static bool IsUpToDate(ProtosLock previous, ServingProtoTree tree, BuildOptions options, string layout, string protocPackage, string outDir, string root)
    {
        if (previous.Format != ProtosLock.CurrentFormat
            || previous.Layout != layout
            || previous.ProtocPackage != protocPackage
            || !previous.KeptRpcs.ToHashSet(StringComparer.Ordinal).SetEquals(options.KeepRpcs)
            || !previous.IncludeRoots.Select(r => ProtosLock.Resolve(r, root)).SequenceEqual(tree.IncludeRoots))
        {
            return false;
        }

        foreach (var input in previous.Inputs)
        {
            if (input.Root < 0 || input.Root >= tree.IncludeRoots.Count)
            {
                return false;
            }

            var path = Path.Combine(tree.IncludeRoots[input.Root], input.Path);
            if (!File.Exists(path) || ProtosLock.Sha256(path) != input.Sha256)
            {
                return false;
            }
        }

        return previous.Verify(outDir).Count == 0;
    }

    private static bool SameInputs(IReadOnlyList<LockedFile> before, IReadOnlyList<LockedFile> now) =>
        before.Select(f => (f.Path, f.Sha256)).ToHashSet().SetEquals(now.Select(f => (f.Path, f.Sha256)));

    private static bool Overlaps(string a, string b)
    {
        static string Dir(string p) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) + Path.DirectorySeparatorChar;
        return Dir(a).StartsWith(Dir(b), StringComparison.Ordinal) || Dir(b).StartsWith(Dir(a), StringComparison.Ordinal);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return -1;
    }
}
