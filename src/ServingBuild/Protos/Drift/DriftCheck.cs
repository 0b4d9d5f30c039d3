using Google.Protobuf.Reflection;
using ServingBuild.Files;
using ServingBuild.Tasks;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// The drift check of the Protos stage, against the lock (every run whose inputs changed) or against a git ref
/// (--against): compare, write artifacts/protos-drift.md, print each finding with where it is, and stop with
/// exit 4 when a rule of the --breaking category fired and --accept-breaking does not cover it.
/// </summary>
public static class DriftCheck
{
    public const string ReportName = "protos-drift.md";

    /// <summary>Upstream now against the output recorded in the lock; positions before come from the previous output files when they are intact.</summary>
    public static async Task AgainstLockAsync(StageContext context, Protoc protoc, ProtosLock previous, FileDescriptorSet upstream, ServingProtoTree tree, string outDir,
        CancellationToken cancellationToken)
    {
        var kept = previous.KeptRpcs.Intersect(context.Options.KeepRpcs, StringComparer.Ordinal).ToList();
        FileDescriptorSet before;
        try
        {
            before = previous.PreviousDescriptors();
        }
        catch (Exception ex) when (ex is FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new ProtosLockInvalidException(Path.Combine(outDir, ProtosLock.FileName), $"its \"descriptors\" field is damaged ({ex.Message}), so drift since the last run cannot be computed");
        }

        if (previous.Verify(outDir).Count == 0)
        {
            // The lock keeps no source info; the files it describes are still there, byte for byte, so parse them for positions.
            var names = previous.Outputs.Select(o => o.Path).Where(p => p.EndsWith(".proto", StringComparison.Ordinal)).ToList();
            var (parsed, _) = await protoc.TryParseAsync([outDir], names, sourceInfo: true, cancellationToken).ConfigureAwait(false);
            before = parsed ?? before;
        }

        var root = context.Paths.Root;
        var lockPath = Path.Combine(outDir, ProtosLock.FileName);
        var findings = ProtoDrift.Compare(before, upstream, kept, previous.KeptRpcs.Concat(previous.RemovedRpcs).ToList(),
            n => ProtosLock.Portable(Path.Combine(outDir, n), root), n => ProtosLock.Portable(tree.Locate(n), root));
        Report(context, findings, ProtoDrift.ReachedByRpc(before, upstream, kept), tree.ServingDir, $"`{lockPath}`", ProtosLock.FileName,
            "upstream files changed since the lock, but nothing the kept RPCs use changed on the wire");
    }

    /// <summary>--against=REF: the serving tree against the same files at REF; nothing is written but the report.</summary>
    public static async Task AgainstRefAsync(StageContext context, Protoc protoc, ServingProtoTree tree, string gitRef, CancellationToken cancellationToken)
    {
        using var then = await GitRefTree.ExtractAsync(context.Runner, tree.ServingDir, gitRef, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(Path.Combine(then.Dir, ServingProtoTree.ServiceProto)))
        {
            throw new ToolkitException($"--against={gitRef}: {ServingProtoTree.ServiceProto} is not in {tree.ServingDir} at {gitRef} ({then.Commit[..12]}); pass a ref of a release that has it", ExitCodes.Usage);
        }

        // TensorFlow's protos at the ref when they live in the serving tree (submodule or in-tree); else the ones found now (Bazel's @org_tensorflow).
        var tfRel = Path.GetRelativePath(tree.ServingDir, tree.TensorflowRoot);
        var tfThen = !tfRel.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(tfRel)
            && File.Exists(Path.Combine(then.Dir, tfRel, "tensorflow", "core", "framework", "tensor.proto"))
            ? Path.GetFullPath(Path.Combine(then.Dir, tfRel))
            : tree.TensorflowRoot;
        var thenTree = new ServingProtoTree(then.Dir, tfThen, tree.WellKnownTypes);
        var keep = context.Options.KeepRpcs;
        var before = await UpstreamParse.RunAsync(protoc, thenTree, keep, cancellationToken).ConfigureAwait(false);
        var after = await UpstreamParse.RunAsync(protoc, tree, keep, cancellationToken).ConfigureAwait(false);

        string ThenName(string n)
        {
            var path = thenTree.Locate(n);
            var rel = Path.GetRelativePath(then.Dir, path);
            return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? path : $"{gitRef}:{then.Prefix}{rel.Replace('\\', '/')}";
        }

        var root = context.Paths.Root;
        var findings = ProtoDrift.Compare(before.Set, after.Set, keep, null, ThenName, n => ProtosLock.Portable(tree.Locate(n), root));
        Report(context, findings, ProtoDrift.ReachedByRpc(before.Set, after.Set, keep), tree.ServingDir, $"git ref `{gitRef}` ({then.Commit[..12]})", gitRef,
            $"nothing the kept RPCs use changed since {gitRef}");
        context.Log.Info($"Protos: compared with {gitRef} ({then.Commit[..12]}); nothing was written to --protos-out");
    }

    private static void Report(StageContext context, IReadOnlyList<DescriptorFinding> findings, IReadOnlyDictionary<string, IReadOnlyList<string>> reached,
        string servingDir, string beforeLabel, string since, string whenNone)
    {
        var gate = DriftGate.From(context.Options);
        var log = context.Log;
        var report = Path.Combine(context.Paths.Artifacts, ReportName);
        Directory.CreateDirectory(context.Paths.Artifacts);
        AtomicFile.WriteAllText(report, DriftReport.Markdown(findings, reached, servingDir, beforeLabel, gate));
        if (findings.Count == 0)
        {
            log.Info($"Protos: {whenNone} (see {report})");
            return;
        }

        foreach (var f in findings.OrderBy(f => gate.Verdict(f) switch { "BREAKING" => 0, "accepted" => 1, "note" => 2, _ => 3 }))
        {
            log.Info("  drift: " + DriftReport.Line(f, gate));
        }

        var blocking = findings.Where(gate.Blocks).ToList();
        if (blocking.Count > 0)
        {
            throw new BreakingDriftException(blocking, gate.Category, since, report);
        }

        var accepted = findings.Count(gate.IsAccepted);
        log.Info($"Protos: drift reported in {report} (gate --breaking={gate.Category}"
            + (accepted > 0 ? $"; {accepted} breaking change(s) accepted with --accept-breaking)" : $"; nothing breaks {gate.Category} clients)"));
    }
}
