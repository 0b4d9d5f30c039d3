using System.Text.Json;
using System.Text.RegularExpressions;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// The Bazel-built miniature tensorflow_model_server's ModelService and its model loading, as real processes:
/// GetModelStatus while a slow load runs (--load_delay), for a missing model and a missing version; a user's
/// *.model with its own signature, input and output names in a version folder other than 1; the requested
/// version folder; a folder with two model files. Called through Python stubs generated from the full protos.
/// </summary>
[Collection(BazelCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class ModelStatusServerTests(MiniServerBuild mini, ITestOutputHelper output)
{
    /// <summary>Writes base/&lt;version&gt;/&lt;file&gt; holding y = slope * x + intercept with the given names.</summary>
    internal static void WriteModel(string basePath, long version, string file, float slope, float intercept,
        string signature = "scale", string input = "celsius", string output = "fahrenheit")
    {
        var dir = Path.Combine(basePath, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file),
            $"# a user's model\nsignature {signature}\ninput {input}\noutput {output}\nslope {slope.ToString(System.Globalization.CultureInfo.InvariantCulture)}\nintercept {intercept.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n");
    }

    private RunningProcess Start(out Task<int> port, params string[] args)
    {
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new ProcessRunner(Require.Log(output)).Start(
            new ProcessSpec(mini.BinaryPath, args) { Timeout = TimeSpan.FromMinutes(5) },
            line =>
            {
                var m = ReadyLine().Match(line);
                if (m.Success)
                {
                    ready.TrySetResult(int.Parse(m.Groups[1].Value));
                }
            });
        _ = process.Completion.ContinueWith(_ => ready.TrySetException(new InvalidOperationException("server exited before it was ready")), TaskScheduler.Default);
        port = ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return process;
    }

    private async Task<Dictionary<string, JsonElement>> CallAsync(string stubs, int port, params object[] cases)
    {
        var python = Require.Program("/usr/bin/python3", "python3-grpcio");
        var result = await new ProcessRunner(Require.Log(output)).RunCheckedAsync(
            new ProcessSpec(python, [Path.Combine(TestPaths.Fixtures, "Bazel", "model_status_cases.py"), stubs, port.ToString(), .. cases.Select(c => JsonSerializer.Serialize(c))])
            {
                Timeout = TimeSpan.FromMinutes(2),
            },
            "calling the server");
        output.WriteLine(result.StandardOutput);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("case").GetString()!);
    }

    private async Task<TempDir> PythonStubsAsync()
    {
        Require.Program("grpc_python_plugin", "protobuf-compiler-grpc");
        Require.Program("protoc", "protobuf-compiler");
        var stubs = new TempDir("servingbuild-pystubs");
        var protos = SourceFiles.Under(mini.ServingDir, "*.proto").Select(p => Path.GetRelativePath(mini.ServingDir, p));
        await new ProcessRunner(Require.Log(output)).RunCheckedAsync(
            new ProcessSpec("protoc", ["-I.", "-I/usr/include", $"--python_out={stubs.Path}", $"--grpc_out={stubs.Path}", $"--plugin=protoc-gen-grpc={Require.Find("grpc_python_plugin")}", .. protos]) { WorkingDirectory = mini.ServingDir },
            "generating Python stubs");
        return stubs;
    }

    private static string[] Versions(JsonElement answer) =>
        answer.GetProperty("versions").EnumerateArray().Select(v => $"{v[0].GetInt64()} {v[1].GetString()} {v[2].GetInt32()}").ToArray();

    [Fact]
    public async Task GetModelStatus_says_LOADING_during_a_slow_load_then_AVAILABLE_and_NOT_FOUND_for_a_missing_model_or_version()
    {
        using var stubs = await PythonStubsAsync();
        using var models = new TempDir("servingbuild-usermodel");
        WriteModel(models.Path, 7, "thermo.model", 1.8f, 32f);
        var server = Start(out var portTask, "--port=0", "--model_name=thermo", $"--model_base_path={models.Path}", "--load_delay=3");
        try
        {
            var port = await portTask;
            var loading = await CallAsync(stubs.Path, port,
                new { @case = "loading", rpc = "status", name = "thermo" },
                new { @case = "predict_while_loading", rpc = "predict", name = "thermo", signature = "scale", input = "celsius", values = new[] { 100f } });
            Assert.Equal(["7 LOADING 0"], Versions(loading["loading"]));
            Assert.Equal("NOT_FOUND", loading["predict_while_loading"].GetProperty("code").GetString());

            var after = await CallAsync(stubs.Path, port,
                new { @case = "wait", rpc = "wait", name = "thermo", seconds = 30 },
                new { @case = "available", rpc = "status", name = "thermo", version = 7 },
                new { @case = "missing_model", rpc = "status", name = "no_such_model" },
                new { @case = "missing_version", rpc = "status", name = "thermo", version = 8 },
                new { @case = "predict", rpc = "predict", name = "thermo", signature = "scale", input = "celsius", values = new[] { 0f, 100f, -40f } });
            Assert.Equal("AVAILABLE", after["wait"].GetProperty("states").EnumerateArray().Last().GetString());
            Assert.Equal(["7 AVAILABLE 0"], Versions(after["available"]));
            Assert.Equal("NOT_FOUND", after["missing_model"].GetProperty("code").GetString());
            Assert.Contains("no_such_model", after["missing_model"].GetProperty("details").GetString());
            Assert.Equal("NOT_FOUND", after["missing_version"].GetProperty("code").GetString());
            Assert.Contains("Version 8", after["missing_version"].GetProperty("details").GetString());
            Assert.Equal([32f, 212f, -40f], after["predict"].GetProperty("outputs").GetProperty("fahrenheit").EnumerateArray().Select(v => v.GetSingle()));
            Assert.Equal(7, after["predict"].GetProperty("version").GetInt64());
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Loads_the_requested_version_folder_and_refuses_a_folder_with_two_model_files()
    {
        using var stubs = await PythonStubsAsync();
        using var models = new TempDir("servingbuild-usermodel");
        WriteModel(models.Path, 3, "v3.model", 2f, 0f, "serving_default", "x", "y");
        WriteModel(models.Path, 12, "v12.model", 3f, 0f, "serving_default", "x", "y");
        var server = Start(out var portTask, "--port=0", "--model_name=m", $"--model_base_path={models.Path}", "--model_version=3");
        try
        {
            var answers = await CallAsync(stubs.Path, await portTask,
                new { @case = "status", rpc = "status", name = "m" },
                new { @case = "predict", rpc = "predict", name = "m", input = "x", values = new[] { 5f } });
            Assert.Equal(["3 AVAILABLE 0"], Versions(answers["status"]));
            Assert.Equal([10f], answers["predict"].GetProperty("outputs").GetProperty("y").EnumerateArray().Select(v => v.GetSingle()));
        }
        finally
        {
            await server.StopAsync();
        }

        WriteModel(models.Path, 12, "second.model", 1f, 1f);
        var two = await new ProcessRunner(Require.Log(output)).RunAsync(
            new ProcessSpec(mini.BinaryPath, "--port=0", "--model_name=m", $"--model_base_path={models.Path}") { Timeout = TimeSpan.FromSeconds(30) });
        Assert.Equal(1, two.ExitCode);
        Assert.Contains("holds several model files (second.model, v12.model)", two.StandardError);
    }

    [GeneratedRegex(@"Running gRPC ModelServer at 0\.0\.0\.0:(\d+) \.\.\.")]
    private static partial Regex ReadyLine();
}
