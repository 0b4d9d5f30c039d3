using ServingBuild.Tests.Stubs;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Verify;

/// <summary>
/// A serving tree whose bazel-bin/.../tensorflow_model_server is a launcher (an ELF shim and its script) for HalfPlusTwoServer (the
/// Grpc.AspNetCore server generated from the full protos), so the stage starts a real server process with
/// tensorflow_model_server's flags. The launcher records each process id (exec keeps it) so tests can prove
/// no server is left behind.
/// </summary>
public sealed class FakeServingTree : IDisposable
{
    private readonly TempDir _dir = new("serving-tree");

    public FakeServingTree(string? fault = null)
    {
        var dll = SiblingOutput.Dll("HalfPlusTwoServer");
        var extra = fault is null ? "" : $" --fault={fault}";
        if (OperatingSystem.IsWindows())
        {
            Assert.Fail("the Verify tests start a model server binary: Linux only");
        }

        // Verify refuses scripts as the server binary: an ELF shim execs the launcher script (same process id).
        ElfLauncher.Install(_dir.Combine(VerifyStage.BinaryRelative),
            $"#!/bin/sh\necho $$ >> '{PidFile}'\nexec dotnet '{dll}' \"$@\"{extra}\n");
        _dir.Write(System.IO.Path.Combine(VerifyStage.ModelRelative, "00000123", "saved_model.pb"), "half_plus_two stand-in");
    }

    public string Path => _dir.Path;

    public string PidFile => _dir.Combine("server.pids");

    public IReadOnlyList<int> StartedPids => File.Exists(PidFile) ? File.ReadAllLines(PidFile).Select(int.Parse).ToArray() : [];

    public static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    public void Dispose() => _dir.Dispose();
}
