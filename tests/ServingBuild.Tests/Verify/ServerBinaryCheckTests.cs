using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Verify;

/// <summary>
/// Bad server binaries handed to Verify: each refused in one line with its exit code, before anything is
/// built or written. A real ELF of this machine (/bin/ls) stands in for a good binary; getconf is asked for glibc.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerBinaryCheckTests : IDisposable
{
    private static readonly string Ls = File.Exists("/bin/ls") ? "/bin/ls" : "/usr/bin/ls";

    private readonly TempDir _root = new("verify-binary");
    private readonly TempDir _serving = new("verify-serving");

    private ToolkitPaths Paths => new(_root.Path);

    private string Exported => ServerExport.ExportedPath(Paths);

    private async Task<ToolkitException> RefusedAsync(params string[] args)
    {
        using var log = Require.Log();
        var options = OptionsParser.Parse(["--serving-dir=" + _serving.Path, .. args], TestPaths.Toolkit);
        var before = Snapshot();
        var ex = await Assert.ThrowsAnyAsync<ToolkitException>(() => new VerifyStage().RunAsync(new StageContext(options, Paths, log), CancellationToken.None));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(before, Snapshot());
        return ex;
    }

    [Fact]
    public async Task A_missing_server_binary_is_refused()
    {
        var ex = await RefusedAsync("--server-binary=" + _root.Combine("nope"));
        Assert.Equal($"--server-binary={_root.Combine("nope")}: no such file; pass the path of tensorflow_model_server (BazelBuild exports it to artifacts/bin/tensorflow_model_server)", ex.Message);
        Assert.Equal(ExitCodes.StageFailed, ex.ExitCode);
    }

    [Fact]
    public async Task A_folder_is_refused()
    {
        var ex = await RefusedAsync("--server-binary=" + _serving.Path);
        Assert.Contains("is a folder, not the server binary", ex.Message);
        Assert.Equal(ExitCodes.StageFailed, ex.ExitCode);
    }

    [Fact]
    public async Task A_script_is_refused_naming_its_interpreter()
    {
        var script = _serving.Write("tensorflow_model_server", "#!/bin/sh\nexec sleep 1\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);

        var ex = await RefusedAsync("--server-binary=" + script);

        Assert.Contains("is a script (#!/bin/sh), not the server binary", ex.Message);
        Assert.Equal(ExitCodes.StageFailed, ex.ExitCode);
    }

    [Fact]
    public async Task A_file_that_is_not_executable_is_refused_with_its_mode()
    {
        var copy = _serving.Combine("tensorflow_model_server");
        File.Copy(Ls, copy);
        File.SetUnixFileMode(copy, (UnixFileMode)0x1A4);

        var ex = await RefusedAsync("--server-binary=" + copy);

        Assert.Contains("is not executable (mode 644)", ex.Message);
    }

    [Fact]
    public async Task An_ELF_for_another_machine_is_refused()
    {
        var bytes = File.ReadAllBytes(Ls);
        // e_machine sits at offset 18 of the ELF header; 183 (aarch64) on x86_64 hosts, else 62 (x86_64).
        var other = ElfImage.HostMachine == 183 ? (ushort)62 : (ushort)183;
        BitConverter.TryWriteBytes(bytes.AsSpan(18), other);
        var path = _serving.Combine("tensorflow_model_server");
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);

        var ex = await RefusedAsync("--server-binary=" + path);

        Assert.Contains($"is built for {ElfImage.NameOf(other)} and this host is {ElfImage.NameOf(ElfImage.HostMachine!.Value)}", ex.Message);
    }

    [Fact]
    public async Task An_exported_binary_that_does_not_match_its_manifest_is_refused()
    {
        await ExportAsync(Ls);
        File.Copy("/bin/cat", Exported, overwrite: true);

        var ex = await RefusedAsync();

        Assert.Contains("does not match its manifest tensorflow_model_server.manifest.json (sha256", ex.Message);
        Assert.Equal(ExitCodes.StageFailed, ex.ExitCode);
    }

    [Fact]
    public async Task An_exported_binary_without_its_manifest_is_refused()
    {
        await ExportAsync(Ls);
        File.Delete(ServerManifest.PathFor(Exported));

        var ex = await RefusedAsync();

        Assert.Contains($"{Exported} has no manifest beside it", ex.Message);
        Assert.Equal(ExitCodes.StageFailed, ex.ExitCode);
    }

    [Fact]
    public async Task A_binary_needing_a_newer_glibc_than_the_host_has_is_a_missing_prerequisite()
    {
        // /bin/ls with its highest GLIBC_ need renamed to GLIBC_9.99 in .dynstr (same length keeps the layout).
        var image = ElfImage.TryRead(Ls)!;
        var highest = "GLIBC_" + image.Glibc;
        var bytes = File.ReadAllBytes(Ls);
        var at = bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(highest + "\0"));
        Assert.True(at > 0);
        var fake = "GLIBC_" + new string('9', 1) + "." + new string('9', highest.Length - "GLIBC_9.".Length);
        System.Text.Encoding.ASCII.GetBytes(fake).CopyTo(bytes, at);
        var path = _serving.Combine("tensorflow_model_server");
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);

        var ex = await RefusedAsync("--server-binary=" + path);

        Assert.Contains($"needs {fake} and this host has glibc", ex.Message);
        Assert.Equal(ExitCodes.Prerequisite, ex.ExitCode);
    }

    [Fact]
    public async Task Without_an_export_or_a_build_Verify_says_to_run_BazelBuild()
    {
        var ex = await RefusedAsync();
        Assert.IsType<ModelServerNotBuiltException>(ex);
        Assert.Contains("./build.sh --target=BazelBuild", ex.Message);
    }

    [Fact]
    public async Task The_export_is_chosen_over_bazel_bin_and_accepted_with_its_manifest()
    {
        await ExportAsync(Ls);
        using var log = Require.Log();
        var options = OptionsParser.Parse(["--serving-dir=" + _serving.Path], TestPaths.Toolkit);

        Assert.Equal(Exported, await ServerBinaryCheck.RunAsync(new StageContext(options, Paths, log), CancellationToken.None));
    }

    private async Task ExportAsync(string binary)
    {
        using var log = Require.Log();
        var context = new StageContext(OptionsParser.Parse(["--serving-dir=" + _serving.Path], TestPaths.Toolkit), Paths, log);
        await ServerExport.ExportAsync(binary, _serving.Path, "7.4.1", ["--config=release"], context, CancellationToken.None);
    }

    private string Snapshot() => string.Join("\n", Directory.EnumerateFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(p => $"{p} {(File.Exists(p) ? File.GetLastWriteTimeUtc(p).Ticks : 0)}"));

    public void Dispose()
    {
        _root.Dispose();
        _serving.Dispose();
    }
}
