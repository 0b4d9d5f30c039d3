using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Ci;

/// <summary>
/// The pipeline templates, run as written: every job in a fresh clone of the repository's committed HEAD,
/// receiving only the artifacts the template declares, the build job's Bazel output base removed before the
/// jobs after it; the last job's Verify must pass against the exported server. Commit before running: the
/// clones see HEAD, not the working tree.
/// </summary>
// In the Bazel collection: its build jobs share the Bazel disk cache and /usr/include/stropts.h with the tests
// that remove that header on purpose, and a BazelBuild of the bundled workspace would put it back mid-test.
[Trait("Category", "Integration")]
[Collection(BazelCollection.Name)]
public sealed class PipelineTemplateTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _work = new("ci-pipeline");

    [Theory]
    [InlineData("ci/github-actions.yml")]
    [InlineData("ci/gitlab-ci.yml")]
    public async Task The_template_runs_job_by_job_in_fresh_clones_and_Verify_passes_on_the_handed_on_server(string template)
    {
        Require.Program("git", "git");
        Require.Program("bazel", "bazel-bootstrap");
        var simulation = new PipelineSimulation(TestPaths.Root, _work.Path, _work.Combine("cache"), output);
        var first = Clone("template");
        var pipeline = PipelineTemplate.Load(Path.Combine(first, template));

        var clock = Stopwatch.StartNew();
        await simulation.RunAsync(pipeline);
        output.WriteLine($"pipeline {template}: {clock.Elapsed.TotalSeconds:0.0}s wall; " + string.Join(", ", simulation.Timings.Select(t => $"{t.Job} {t.Elapsed.TotalSeconds:0.0}s")));
        foreach (var (job, artifact, bytes, files) in simulation.Handed)
        {
            output.WriteLine($"  {job} hands on {artifact}: {files} files, {bytes / 1024.0:0.0} KiB");
        }

        // The build job's output base is gone; Verify ran the exported copy from artifacts/bin in its own clone.
        Assert.NotNull(simulation.RemovedOutputBase);
        Assert.False(Directory.Exists(simulation.RemovedOutputBase));
        var verifyClone = simulation.Clones[pipeline.Jobs[^1].Name];
        Assert.False(Directory.Exists(Path.Combine(verifyClone, "tests", "serving-mini", "bazel-bin")));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(verifyClone, "artifacts", "verify-report.json")));
        Assert.Equal(Path.Combine(verifyClone, "artifacts", "bin", "tensorflow_model_server"), report.RootElement.GetProperty("binary").GetString());
        var junit = XDocument.Load(Path.Combine(verifyClone, "artifacts", "test-results", "verify.xml")).Root!.Element("testsuite")!;
        Assert.Equal("0", (string?)junit.Attribute("failures"));
        Assert.True(int.Parse((string)junit.Attribute("tests")!) >= 5);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(verifyClone, "artifacts", "summary.json")));
        var verify = summary.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "Verify");
        Assert.Equal("succeeded", verify.GetProperty("status").GetString());

        // Only the declared artifacts arrived: the server reached Verify and no job between (Protos, Stubs).
        foreach (var task in new[] { "Protos", "Stubs" })
        {
            var clone = simulation.Clones[pipeline.Jobs.Single(j => j.Task == task).Name];
            Assert.False(File.Exists(Path.Combine(clone, "artifacts", "bin", "tensorflow_model_server")), $"the {task} job received the server");
        }
    }

    private string Clone(string name)
    {
        var dir = _work.Combine(name);
        using var process = Process.Start(new ProcessStartInfo("git", ["clone", "--quiet", "--no-local", TestPaths.Root, dir]))!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return dir;
    }

    public void Dispose() => _work.Dispose();
}
