using System.Text.Json;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Test;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>buf itself (installed by the Test task from npm into the tools cache), run on a before/after pair. Missing: the test fails.</summary>
internal static class BufOracle
{
    public static string Binary()
    {
        var cache = OptionsParser.Parse([], TestPaths.Toolkit).CacheDir;
        var buf = BufTool.Binary(cache);
        if (buf is null)
        {
            Assert.Fail($"buf {BufTool.Version} is not installed under {BufTool.Folder(cache)}; run ./build.sh --target=Test (it installs it) or npm install --prefix {BufTool.Folder(cache)} @bufbuild/buf@{BufTool.Version}");
        }

        return buf!;
    }

    /// <summary>`buf breaking after --against before` with a v2 buf.yaml using <paramref name="category"/>: the distinct rule IDs it reports.</summary>
    public static async Task<string[]> BreakingAsync(DriftPair pair, string category)
    {
        using var temp = new TempDir("buf");
        var config = $"version: v2\nbreaking:\n  use:\n    - {category}\n";
        foreach (var (side, text) in new[] { ("before", pair.Before), ("after", pair.After) })
        {
            temp.Write($"{side}/x.proto", text);
            temp.Write($"{side}/buf.yaml", config);
        }

        var result = await new ProcessRunner(TaskLog.Null).RunAsync(
            new ProcessSpec(Binary(), "breaking", "after", "--against", "before", "--error-format=json") { WorkingDirectory = temp.Path, Timeout = TimeSpan.FromMinutes(2) });
        // 0: nothing breaking; 100: findings. Anything else is buf failing to run.
        Assert.True(result.ExitCode is 0 or 100, $"buf breaking exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()!)
            .Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>`buf config ls-breaking-rules`: every rule buf knows with its categories.</summary>
    public static async Task<IReadOnlyDictionary<string, string[]>> RulesAsync()
    {
        var result = await new ProcessRunner(TaskLog.Null).RunCheckedAsync(
            new ProcessSpec(Binary(), "config", "ls-breaking-rules", "--version", "v2", "--format", "json") { Timeout = TimeSpan.FromMinutes(1) }, "buf config ls-breaking-rules");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }
}
