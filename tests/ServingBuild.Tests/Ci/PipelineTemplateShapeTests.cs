using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Ci;

/// <summary>What the templates declare: the jobs in order, what each hands on and receives, the Bazel caches.</summary>
public sealed class PipelineTemplateShapeTests
{
    public static TheoryData<string> Templates => new() { "ci/github-actions.yml", "ci/gitlab-ci.yml" };

    private static PipelineTemplate Load(string relative) => PipelineTemplate.Load(Path.Combine(TestPaths.Root, relative));

    [Theory]
    [MemberData(nameof(Templates))]
    public void Has_one_job_per_task_in_pipeline_order_each_waiting_for_the_one_before(string template)
    {
        var jobs = Load(template).Jobs;

        Assert.Equal(["Provision", "BazelBuild", "Protos", "Stubs", "Verify"], jobs.Select(j => j.Task));
        for (var i = 1; i < jobs.Count; i++)
        {
            Assert.Contains(jobs[i - 1].Name, jobs[i].Needs);
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Hands_on_exactly_what_later_jobs_need(string template)
    {
        var t = Load(template);
        var byTask = t.Jobs.ToDictionary(j => j.Task!);

        Assert.Empty(byTask["Provision"].Uploads);
        Assert.Empty(byTask["Provision"].Downloads);
        Assert.Empty(byTask["BazelBuild"].Downloads);
        Assert.Empty(byTask["Protos"].Downloads);
        var server = Assert.Single(byTask["BazelBuild"].Uploads);
        var protos = Assert.Single(byTask["Protos"].Uploads);
        var package = Assert.Single(byTask["Stubs"].Uploads);
        Assert.Equal(["protos/"], protos.Paths);
        Assert.Equal(["artifacts/packages/"], package.Paths);
        if (t.Flavor == PipelineTemplate.GitHub)
        {
            // upload-artifact drops the 0755 mode, so the binary and its manifest travel as one tar of artifacts/bin.
            Assert.Equal(["server-binary.tar"], server.Paths);
            Assert.Contains(byTask["BazelBuild"].Commands, c => c.Contains("tar -cf server-binary.tar artifacts/bin", StringComparison.Ordinal));
            Assert.Contains(byTask["Verify"].Commands, c => c.Contains("tar -xf server-binary.tar", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(["artifacts/bin/"], server.Paths);
        }

        Assert.Equal([protos.Artifact], byTask["Stubs"].Downloads.Select(d => d.Artifact));
        Assert.Equal(new[] { server.Artifact, protos.Artifact }.Order(), byTask["Verify"].Downloads.Select(d => d.Artifact).Order());
        // What Verify uploads is for people (test results, report, summary), received by no job.
        Assert.All(byTask["Verify"].Uploads, u => Assert.True(u.AlwaysRuns));
        Assert.Contains(byTask["Verify"].Uploads.SelectMany(u => u.Paths), p => p == "artifacts/test-results/verify.xml");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Caches_Bazels_disk_and_repository_caches_in_the_build_job_keyed_on_Bazel_version_and_serving_commit(string template)
    {
        var t = Load(template);
        var build = t.Jobs.Single(j => j.Task == "BazelBuild");
        var cache = build.Cache ?? throw new Xunit.Sdk.XunitException("the BazelBuild job declares no cache");

        Assert.Equal([".servingbuild-cache/bazel-disk", ".servingbuild-cache/bazel-repo"], cache.Paths.Select(p => p.TrimEnd('/')));
        Assert.All(build.Commands.Where(c => c.Contains("--target=BazelBuild", StringComparison.Ordinal)), c => Assert.Contains("--cache-dir=\"$CACHE_DIR\"", c));
        Assert.Equal(".servingbuild-cache", build.Environment["CACHE_DIR"]);
        if (t.Flavor == PipelineTemplate.GitHub)
        {
            Assert.Equal("${{ steps.bazel-cache-key.outputs.key }}", cache.CacheKey);
            Assert.Contains(build.Steps, s => s.Id == "bazel-cache-key" && s.Command!.Contains("scripts/ci-cache-key.sh", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal("servingbuild-bazel-$BAZEL_VERSION-$SERVING_COMMIT", cache.CacheKey);
            // The pinned default is the bundled workspace's own pin, so the two cannot drift apart unnoticed.
            var wanted = ServingBuild.BazelBuild.WantedBazelVersion.Read(TestPaths.ServingMini)!.Version;
            Assert.Equal(wanted, build.Environment["BAZEL_VERSION"]);
        }

        Assert.All(t.Jobs.Where(j => j != build), j => Assert.Null(j.Cache));
    }
}
