using ServingBuild.Protos;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>protos.lock.json: idempotence ("up to date"), what it records, and the check the Stubs stage uses.</summary>
[Trait("Category", "Integration")]
public sealed class ProtosLockTests
{
    [Fact]
    public async Task Running_again_with_the_same_inputs_is_up_to_date_and_touches_nothing()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir));
        var hashes = ProtosRun.Hashes(outDir);
        var times = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir));

        Assert.Contains("up to date", run.Console);
        Assert.Equal(hashes, ProtosRun.Hashes(outDir));

        // The check is hashing only: no process is started (the verbose log shows every command as "$ ...").
        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir, verbose: true));
        Assert.Contains("up to date", run.Console);
        Assert.DoesNotContain("$ ", run.Console);
        Assert.All(times, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));
    }

    [Fact]
    public async Task A_dry_run_checks_everything_and_writes_nothing()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir, ["Predict", "Classify"], dryRun: true));

        Assert.Contains("would keep Classify, Predict, remove Regress, MultiInference, GetModelMetadata", run.Console);
        Assert.Contains("classification.proto", run.Console);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task A_different_keep_rpc_or_an_edited_output_is_not_up_to_date()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir));

        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir, ["Predict", "Regress"]));
        Assert.DoesNotContain("up to date", run.Console);
        Assert.Contains("regression.proto", ProtosRun.Files(outDir));

        File.AppendAllText(Path.Combine(outDir, "model.proto"), "// edited by hand\n");
        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir, ["Predict", "Regress"]));
        Assert.DoesNotContain("up to date", run.Console);
        Assert.DoesNotContain("edited by hand", File.ReadAllText(Path.Combine(outDir, "model.proto")));
    }

    [Fact]
    public async Task The_lock_records_sources_hashes_rpcs_imports_and_protoc()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-0.5.1"), outDir));

        var lockFile = ProtosLock.Read(outDir)!;
        Assert.Equal(ProtosRun.Fixture("serving-0.5.1"), lockFile.ServingDir);
        Assert.Equal(ProtosRun.Fixture("serving-0.5.1/tensorflow"), lockFile.TensorflowDir);
        Assert.Equal(["Predict"], lockFile.KeptRpcs);
        Assert.StartsWith("libprotoc ", lockFile.Protoc);
        Assert.Equal("Grpc.Tools 2.85.0", lockFile.ProtocPackage);
        Assert.Null(lockFile.GitCommit);
        // Every input of the full closure, including those only stripped RPCs need, is hashed.
        Assert.Contains(lockFile.Inputs, i => i.Path == "tensorflow/core/protobuf/meta_graph.proto");
        Assert.Contains(lockFile.Inputs, i => i.Path == ServingProtoTree.ServiceProto);
        Assert.All(lockFile.Inputs, i => Assert.Equal(ProtosLock.Sha256(Path.Combine(lockFile.IncludeRoots[i.Root], i.Path)), i.Sha256));
        Assert.Equal(ProtosRun.Files(outDir).Where(f => f != ProtosLock.FileName), lockFile.Outputs.Select(o => o.Path));
        Assert.Empty(lockFile.Verify(outDir));
    }

    [Fact]
    public async Task A_git_checkout_records_its_commit_tag_and_version()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x"), temp);
        var git = Require.Program("git", "git");
        var runner = new ServingBuild.Processes.ProcessRunner(Require.Log());
        foreach (var args in new[] { new[] { "init", "-q" }, ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture"], ["tag", "1.15.0"] })
        {
            await runner.RunCheckedAsync(new ServingBuild.Processes.ProcessSpec(git, ["-C", serving, .. args]), "git");
        }

        Assert.Equal(0, await run.RunAsync(serving, temp.Combine("protos")));

        var lockFile = ProtosLock.Read(temp.Combine("protos"))!;
        Assert.Matches("^[0-9a-f]{40}$", lockFile.GitCommit);
        Assert.Equal("1.15.0", lockFile.GitTag);
        Assert.Equal("1.15.0", lockFile.ServingVersion?.ToString());
    }

    [Fact]
    public void The_serving_version_comes_from_version_h_then_setup_py_then_the_tag()
    {
        using var temp = new TempDir();
        Assert.Null(ServingVersion.Detect(temp.Path, null));
        Assert.Equal("2.20.0", ServingVersion.Detect(temp.Path, "v2.20.0")?.ToString());
        Assert.Equal("2.20.0", ServingVersion.Detect(temp.Path, "v2.20")?.ToString());
        Assert.Null(ServingVersion.Detect(temp.Path, "nightly"));
        temp.Write("tensorflow_serving/tools/pip_package/setup.py", "_VERSION = '2.19.1'\n");
        Assert.Equal("2.19.1", ServingVersion.Detect(temp.Path, "v2.20.0")?.ToString());
        temp.Write("tensorflow_serving/model_servers/version.h", "#define TF_SERVING_VERSION_MAJOR 2\n#define TF_SERVING_VERSION_MINOR 18\n#define TF_SERVING_VERSION_PATCH 3\n");
        Assert.Equal("2.18.3", ServingVersion.Detect(temp.Path, "v2.20.0")?.ToString());
    }

    [Fact]
    public async Task ReadVerified_refuses_a_changed_missing_or_extra_proto()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir));
        Assert.Equal(["Predict"], ProtosLock.ReadVerified(outDir).KeptRpcs);

        File.AppendAllText(Path.Combine(outDir, "predict.proto"), "\n");
        File.Delete(Path.Combine(outDir, "model.proto"));
        temp.Write("protos/extra.proto", "syntax = \"proto3\";\n");

        var ex = Assert.Throws<ProtosOutOfDateException>(() => ProtosLock.ReadVerified(outDir));
        Assert.Contains("predict.proto changed", ex.Message);
        Assert.Contains("model.proto is missing", ex.Message);
        Assert.Contains("extra.proto is not in the lock", ex.Message);
        Assert.Throws<ProtosOutOfDateException>(() => ProtosLock.ReadVerified(temp.Combine("nothing")));
    }

    [Fact]
    public void Paths_inside_the_root_are_stored_relative_and_others_absolute()
    {
        Assert.Equal("tests/serving-mini", ProtosLock.Portable("/repo/tests/serving-mini", "/repo"));
        Assert.Equal("/elsewhere/serving", ProtosLock.Portable("/elsewhere/serving", "/repo"));
        Assert.Equal("/repo/tests/serving-mini", ProtosLock.Resolve("tests/serving-mini", "/repo"));
        Assert.Equal("/elsewhere/serving", ProtosLock.Resolve("/elsewhere/serving", "/repo"));
    }
}
