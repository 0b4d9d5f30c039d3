using YamlDotNet.RepresentationModel;

namespace ServingBuild.Tests.Ci;

/// <summary>
/// Reads ci/github-actions.yml or ci/gitlab-ci.yml (YamlDotNet) into jobs in the order they run, with their
/// commands, the artifacts they hand on and receive, and their caches. A step or keyword the simulation cannot
/// carry out fails the read, so a template never silently does more than the test proves.
/// </summary>
public sealed record PipelineTemplate(string Flavor, IReadOnlyList<CiJob> Jobs)
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";

    public static PipelineTemplate Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return root.Children.ContainsKey(new YamlScalarNode("jobs")) ? ReadGitHub(root) : ReadGitLab(root);
    }

    public CiJob Job(string name) => Jobs.Single(j => j.Name == name);

    private static PipelineTemplate ReadGitHub(YamlMappingNode root)
    {
        var workflowEnv = Map(root, "env");
        var jobs = new List<CiJob>();
        foreach (var (key, value) in ((YamlMappingNode)root["jobs"]).Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var job = (YamlMappingNode)value;
            var needs = job.Children.TryGetValue(new YamlScalarNode("needs"), out var n) ? Strings(n) : [];
            var env = new Dictionary<string, string>(workflowEnv);
            foreach (var (k, v) in Map(job, "env"))
            {
                env[k] = v;
            }

            var steps = new List<CiStep>();
            foreach (YamlMappingNode step in (YamlSequenceNode)job["steps"])
            {
                var id = Scalar(step, "id");
                if (Scalar(step, "run") is { } run)
                {
                    steps.Add(new CiStep(CiStepKind.Run) { Id = id, Command = run });
                    continue;
                }

                var uses = Scalar(step, "uses") ?? throw new InvalidDataException($"job {name}: a step with neither run nor uses");
                var with = Map(step, "with");
                var action = uses.Split('@')[0];
                steps.Add(action switch
                {
                    "actions/checkout" => new CiStep(CiStepKind.Checkout),
                    "actions/cache" => new CiStep(CiStepKind.Cache)
                    {
                        Paths = Lines(with["path"]),
                        CacheKey = with["key"],
                        RestoreKeys = with.TryGetValue("restore-keys", out var rk) ? Lines(rk) : [],
                    },
                    "actions/upload-artifact" => new CiStep(CiStepKind.Upload)
                    {
                        Artifact = with["name"],
                        Paths = Lines(with["path"]),
                        AlwaysRuns = Scalar(step, "if") == "always()",
                    },
                    "actions/download-artifact" => new CiStep(CiStepKind.Download)
                    {
                        Artifact = with["name"],
                        Destination = with.GetValueOrDefault("path"),
                    },
                    _ => throw new InvalidDataException($"job {name}: the simulation cannot run {uses}"),
                });
            }

            jobs.Add(new CiJob(name, needs, env, steps));
        }

        return new PipelineTemplate(GitHub, InNeedsOrder(jobs));
    }

    private static PipelineTemplate ReadGitLab(YamlMappingNode root)
    {
        var stages = Strings(root["stages"]);
        var variables = Map(root, "variables");
        var reserved = new HashSet<string> { "stages", "variables", "default", "workflow", "include", "image", "services", "cache", "before_script", "after_script" };
        var jobs = new List<(int Stage, CiJob Job)>();
        foreach (var (key, value) in root.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (reserved.Contains(name) || name.StartsWith('.'))
            {
                continue;
            }

            var job = (YamlMappingNode)value;
            foreach (var unsupported in new[] { "extends", "before_script", "after_script", "dependencies", "rules", "parallel" })
            {
                if (job.Children.ContainsKey(new YamlScalarNode(unsupported)))
                {
                    throw new InvalidDataException($"job {name}: the simulation does not carry out '{unsupported}'");
                }
            }

            var steps = new List<CiStep>();
            if (job.Children.TryGetValue(new YamlScalarNode("cache"), out var cacheNode))
            {
                var cache = (YamlMappingNode)cacheNode;
                steps.Add(new CiStep(CiStepKind.Cache) { CacheKey = Scalar(cache, "key") ?? throw new InvalidDataException($"job {name}: cache:key must be a string"), Paths = Strings(cache["paths"]) });
            }

            var needs = new List<string>();
            if (job.Children.TryGetValue(new YamlScalarNode("needs"), out var needsNode))
            {
                foreach (var need in (YamlSequenceNode)needsNode)
                {
                    var (needed, artifacts) = need is YamlScalarNode s
                        ? (s.Value!, true)
                        : (Scalar((YamlMappingNode)need, "job")!, Scalar((YamlMappingNode)need, "artifacts") != "false");
                    needs.Add(needed);
                    if (artifacts)
                    {
                        steps.Add(new CiStep(CiStepKind.Download) { Artifact = needed });
                    }
                }
            }

            steps.Add(new CiStep(CiStepKind.Run) { Command = string.Join("\n", Strings(job["script"])) });
            if (job.Children.TryGetValue(new YamlScalarNode("artifacts"), out var artifactsNode))
            {
                var artifacts = (YamlMappingNode)artifactsNode;
                steps.Add(new CiStep(CiStepKind.Upload)
                {
                    Artifact = name,
                    Paths = artifacts.Children.TryGetValue(new YamlScalarNode("paths"), out var p) ? Strings(p) : [],
                    KeepsModes = true,
                    AlwaysRuns = Scalar(artifacts, "when") == "always",
                });
            }

            var stage = Scalar(job, "stage") ?? "test";
            jobs.Add((stages.ToList().IndexOf(stage), new CiJob(name, needs, variables, steps)));
        }

        return new PipelineTemplate(GitLab, jobs.OrderBy(j => j.Stage).Select(j => j.Job).ToArray());
    }

    /// <summary>Jobs in an order where every job comes after the jobs it needs (file order otherwise).</summary>
    private static IReadOnlyList<CiJob> InNeedsOrder(List<CiJob> jobs)
    {
        var done = new List<CiJob>();
        while (done.Count < jobs.Count)
        {
            var next = jobs.FirstOrDefault(j => !done.Contains(j) && j.Needs.All(n => done.Any(d => d.Name == n)))
                ?? throw new InvalidDataException("the jobs' needs form a cycle or name a missing job");
            done.Add(next);
        }

        return done;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static Dictionary<string, string> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlMappingNode m
            ? m.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "")
            : [];

    private static IReadOnlyList<string> Strings(YamlNode node) => node switch
    {
        YamlScalarNode s => [s.Value!],
        YamlSequenceNode seq => seq.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray(),
        _ => throw new InvalidDataException($"expected a string or a list at {node.Start}"),
    };

    private static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
