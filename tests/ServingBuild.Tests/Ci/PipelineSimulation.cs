using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Ci;

/// <summary>
/// Runs a pipeline template's jobs on this machine as a CI system would: each job in a fresh `git clone` of the
/// repository's HEAD, receiving only the artifacts it declares from earlier jobs (GitHub's upload-artifact drops
/// file modes, as the real one does), with its declared caches restored and saved, and with the build job's
/// Bazel output base removed (`bazel clean --expunge`) before any later job runs.
/// </summary>
public sealed partial class PipelineSimulation(string repository, string workDir, string cacheStore, ITestOutputHelper output)
{
    private readonly Dictionary<string, string> _artifacts = new(StringComparer.Ordinal);
    private int _clones;

    /// <summary>Bytes each artifact holds, by artifact name, in upload order.</summary>
    public List<(string Job, string Artifact, long Bytes, int Files)> Handed { get; } = [];

    public List<(string Job, TimeSpan Elapsed)> Timings { get; } = [];

    /// <summary>The clone each job ran in, by job name.</summary>
    public Dictionary<string, string> Clones { get; } = [];

    /// <summary>The output base of the build job, removed before the jobs after it ran.</summary>
    public string? RemovedOutputBase { get; private set; }

    public async Task RunAsync(PipelineTemplate template)
    {
        // Every job runs the same commit, as in one CI pipeline, even when HEAD moves meanwhile.
        var pipelineCommit = (await Shell(repository, new Dictionary<string, string>(), "git rev-parse HEAD", "pipeline-rev")).Trim();
        foreach (var job in template.Jobs)
        {
            var clock = Stopwatch.StartNew();
            var clone = Clone(job.Name);
            Run("git", ["checkout", "--quiet", "--detach", pipelineCommit], clone);
            var commit = (await Shell(clone, new Dictionary<string, string>(), "git rev-parse HEAD", job.Name + "-rev")).Trim();
            var env = Environment(template, job, clone, commit);
            var stepOutputs = new Dictionary<string, Dictionary<string, string>>();
            var cacheSaves = new List<(string Key, IReadOnlyList<string> Paths, bool Hit)>();
            foreach (var step in job.Steps)
            {
                switch (step.Kind)
                {
                    case CiStepKind.Checkout:
                        break;
                    case CiStepKind.Run:
                        var outputFile = Path.Combine(workDir, $"{job.Name}-{Guid.NewGuid():N}.output");
                        File.WriteAllText(outputFile, "");
                        var stepEnv = new Dictionary<string, string>(env) { ["GITHUB_OUTPUT"] = outputFile };
                        await Shell(clone, stepEnv, step.Command!, job.Name);
                        if (step.Id is { } id)
                        {
                            stepOutputs[id] = File.ReadAllLines(outputFile).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
                        }

                        break;
                    case CiStepKind.Cache:
                        var key = Resolve(template, step.CacheKey!, env, stepOutputs);
                        var hit = RestoreCache(clone, key, step.RestoreKeys.Select(k => Resolve(template, k, env, stepOutputs)).ToArray());
                        output.WriteLine($"[{job.Name}] cache {key}: {hit}");
                        cacheSaves.Add((key, step.Paths.Select(p => Resolve(template, p, env, stepOutputs)).ToArray(), hit == "exact hit"));
                        break;
                    case CiStepKind.Download:
                        Download(job, step, clone, template, env, stepOutputs);
                        break;
                    case CiStepKind.Upload:
                        Upload(job, step, clone, template, env, stepOutputs);
                        break;
                }
            }

            foreach (var (key, paths, hit) in cacheSaves.Where(c => !c.Hit))
            {
                SaveCache(clone, key, paths);
            }

            if (job.Task == "BazelBuild")
            {
                RemovedOutputBase = await ExpungeAsync(clone, env.GetValueOrDefault("SERVING_DIR") is { Length: > 0 } dir ? dir : Path.Combine("tests", "serving-mini"), job.Name);
            }

            Timings.Add((job.Name, clock.Elapsed));
            output.WriteLine($"[{job.Name}] done in {clock.Elapsed.TotalSeconds:0.0}s");
        }
    }

    private string Clone(string job)
    {
        var dir = Path.Combine(workDir, $"{++_clones:00}-{job}");
        Run("git", ["clone", "--quiet", "--no-local", repository, dir], workDir);
        Clones[job] = dir;
        return dir;
    }

    private Dictionary<string, string> Environment(PipelineTemplate template, CiJob job, string clone, string commit)
    {
        var env = new Dictionary<string, string>
        {
            ["CI"] = "true",
        };
        if (template.Flavor == PipelineTemplate.GitHub)
        {
            env["GITHUB_ACTIONS"] = "true";
            env["GITHUB_WORKSPACE"] = clone;
            env["GITHUB_SHA"] = commit;
            foreach (var (k, v) in job.Environment)
            {
                env[k] = v;
            }
        }
        else
        {
            env["GITLAB_CI"] = "true";
            env["CI_PROJECT_DIR"] = clone;
            env["CI_COMMIT_SHA"] = commit;
            env["CI_JOB_NAME"] = job.Name;
            foreach (var (k, v) in job.Environment)
            {
                env[k] = ExpandGitLab(v, env);
            }
        }

        return env;
    }

    private string Resolve(PipelineTemplate template, string text, Dictionary<string, string> env, Dictionary<string, Dictionary<string, string>> steps)
    {
        if (template.Flavor == PipelineTemplate.GitLab)
        {
            return ExpandGitLab(text, env);
        }

        return Expression().Replace(text, m =>
        {
            var parts = m.Groups[1].Value.Trim().Split('.');
            return parts switch
            {
                ["env", var name] => env[name],
                ["steps", var id, "outputs", var name] => steps[id][name],
                ["github", "workspace"] => env["GITHUB_WORKSPACE"],
                ["github", "sha"] => env["GITHUB_SHA"],
                _ => throw new InvalidDataException($"the simulation cannot evaluate {m.Value}"),
            };
        });
    }

    private static string ExpandGitLab(string text, Dictionary<string, string> env) =>
        GitLabVariable().Replace(text, m => env.TryGetValue(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, out var v) ? v : "");

    private void Upload(CiJob job, CiStep step, string clone, PipelineTemplate template, Dictionary<string, string> env, Dictionary<string, Dictionary<string, string>> steps)
    {
        var name = Resolve(template, step.Artifact!, env, steps);
        var store = Path.Combine(workDir, "artifacts", name);
        var paths = step.Paths.Select(p => Resolve(template, p, env, steps)).Select(p => Path.GetFullPath(p, clone)).ToArray();
        var existing = paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToArray();
        if (existing.Length == 0)
        {
            throw new InvalidOperationException($"job {job.Name}: nothing to upload as {name} ({string.Join(", ", step.Paths)})");
        }

        // GitLab keeps paths relative to the project; GitHub roots the artifact at the paths' least common ancestor.
        var root = step.KeepsModes ? clone : CommonRoot(existing);
        long bytes = 0;
        var files = 0;
        foreach (var source in existing.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]))
        {
            var target = Path.Combine(store, Path.GetRelativePath(root, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
            if (!step.KeepsModes && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, (UnixFileMode)0x1A4); // upload-artifact keeps no modes: 0644
            }

            bytes += new FileInfo(source).Length;
            files++;
        }

        _artifacts[name] = store;
        Handed.Add((job.Name, name, bytes, files));
        output.WriteLine($"[{job.Name}] hands on {name}: {files} files, {bytes} bytes ({string.Join(", ", step.Paths)})");
    }

    private void Download(CiJob job, CiStep step, string clone, PipelineTemplate template, Dictionary<string, string> env, Dictionary<string, Dictionary<string, string>> steps)
    {
        var name = Resolve(template, step.Artifact!, env, steps);
        if (!_artifacts.TryGetValue(name, out var store))
        {
            if (template.Flavor == PipelineTemplate.GitLab)
            {
                return; // a needed job that uploads nothing hands on nothing
            }

            throw new InvalidOperationException($"job {job.Name} downloads {name}, which no earlier job uploaded");
        }

        var destination = Path.GetFullPath(step.Destination is { } d ? Resolve(template, d, env, steps) : ".", clone);
        foreach (var file in Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(store, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        output.WriteLine($"[{job.Name}] receives {name}");
    }

    private string RestoreCache(string clone, string key, IReadOnlyList<string> restorePrefixes)
    {
        var exact = Path.Combine(cacheStore, Safe(key));
        var found = Directory.Exists(exact) ? exact : null;
        var how = found is null ? "miss" : "exact hit";
        if (found is null)
        {
            found = restorePrefixes
                .SelectMany(prefix => Directory.Exists(cacheStore) ? Directory.EnumerateDirectories(cacheStore, Safe(prefix) + "*") : [])
                .OrderByDescending(Directory.GetLastWriteTimeUtc)
                .FirstOrDefault();
            how = found is null ? "miss" : "restored from " + Path.GetFileName(found);
        }

        if (found is not null)
        {
            Run("cp", ["-a", found + "/.", clone], clone);
        }

        return how;
    }

    private void SaveCache(string clone, string key, IReadOnlyList<string> paths)
    {
        var target = Path.Combine(cacheStore, Safe(key));
        foreach (var path in paths)
        {
            var source = Path.GetFullPath(path, clone).TrimEnd('/');
            if (Directory.Exists(source))
            {
                var rel = Path.GetRelativePath(clone, source);
                Directory.CreateDirectory(Path.Combine(target, Path.GetDirectoryName(rel)!));
                Run("cp", ["-a", source, Path.Combine(target, rel)], clone);
            }
        }
    }

    private async Task<string> ExpungeAsync(string clone, string servingDir, string job)
    {
        var workspace = Path.Combine(clone, servingDir);
        var outputBase = (await Shell(workspace, new Dictionary<string, string>(), "bazel info output_base 2>/dev/null", job + "-info")).Trim();
        await Shell(workspace, new Dictionary<string, string>(), "bazel clean --expunge", job + "-expunge");
        Assert.False(Directory.Exists(outputBase), $"bazel clean --expunge left {outputBase}");
        output.WriteLine($"[{job}] removed the output base {outputBase}");
        return outputBase;
    }

    private async Task<string> Shell(string dir, IReadOnlyDictionary<string, string> env, string command, string label)
    {
        var log = Path.Combine(workDir, "logs", $"{label}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var info = new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", command])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's own toolkit variables must not steer the clone's build.sh.
        foreach (var name in new[] { "SERVINGBUILD_ROOT", "SERVINGBUILD_CLI", "SERVINGBUILD_SDK", "CAKE_PATHS_CACHE" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var all = new StringBuilder();
        var readOut = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (all)
                {
                    stdout.AppendLine(line);
                    all.AppendLine(line);
                }
            }
        });
        var readErr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (all)
                {
                    all.AppendLine(line);
                }
            }
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(readOut, readErr);
        await File.WriteAllTextAsync(log, all.ToString());
        if (process.ExitCode != 0)
        {
            var tail = string.Join("\n", all.ToString().Split('\n').TakeLast(25));
            Assert.Fail($"job step failed in {dir} (exit {process.ExitCode}): {command}\n{tail}");
        }

        return stdout.ToString();
    }

    private static void Run(string program, string[] args, string dir)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { WorkingDirectory = dir, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {errors}");
    }

    private static string CommonRoot(IReadOnlyList<string> paths)
    {
        if (paths.Count == 1)
        {
            return Directory.Exists(paths[0]) ? paths[0] : Path.GetDirectoryName(paths[0])!;
        }

        var parts = paths.Select(p => (Directory.Exists(p) ? p : Path.GetDirectoryName(p)!).Split('/')).ToArray();
        var common = parts[0].TakeWhile((part, i) => parts.All(p => p.Length > i && p[i] == part)).ToArray();
        return string.Join('/', common);
    }

    private static string Safe(string key) => Regex.Replace(key, "[^A-Za-z0-9._-]", "_");

    [GeneratedRegex(@"\$\{\{(.+?)\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex GitLabVariable();
}
