using System.Security.Cryptography;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Test;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>Runs ./build.sh of the repository the tests run in, as a user would, and looks at what it left.</summary>
public static class BuildScript
{
    public static string Path => System.IO.Path.Combine(TestPaths.Root, "build.sh");

    public static Task<ProcessResult> RunAsync(ITestOutputHelper output, params string[] args) => RunAsync(output, Path, args);

    /// <summary>./build.ps1 under pwsh (from PATH, else the dotnet tool the Test task installs; missing, the test fails).</summary>
    public static Task<ProcessResult> RunPowerShellAsync(ITestOutputHelper output, params string[] args) =>
        RunAsync(output, PowerShell, ["-NoProfile", "-File", "./build.ps1", .. args]);

    public static string PowerShell
    {
        get
        {
            var cache = OptionsParser.Parse([], TestPaths.Toolkit).CacheDir;
            return Require.Find("pwsh") ?? Require.Program(TestPrerequisites.PowerShellPath(cache), "PowerShell (dotnet tool; ./build.sh --target=Test installs it)");
        }
    }

    private static async Task<ProcessResult> RunAsync(ITestOutputHelper output, string program, string[] args)
    {
        var runner = new ProcessRunner(Require.Log(output));
        var result = await runner.RunAsync(new ProcessSpec(program, args)
        {
            WorkingDirectory = TestPaths.Root,
            Timeout = TimeSpan.FromMinutes(5),
            // CI and the Test task run with NO_COLOR unset; keep the output plain for the asserts.
            Environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1" },
        });
        output.WriteLine($"exit {result.ExitCode}");
        return result;
    }

    /// <summary>
    /// One hash per file of the repository outside artifacts/ (content, not times), without following links:
    /// what a run must leave exactly as it was.
    /// </summary>
    public static IReadOnlyDictionary<string, string> HashTree()
    {
        var root = TestPaths.Root;
        var artifacts = System.IO.Path.Combine(root, "artifacts") + System.IO.Path.DirectorySeparatorChar;
        return SourceFiles.Under(root)
            .Where(f => !f.StartsWith(artifacts, StringComparison.Ordinal))
            .ToDictionary(
                f => System.IO.Path.GetRelativePath(root, f),
                f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))),
                StringComparer.Ordinal);
    }

    /// <summary>The lines of a stream, without empty ones.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts what every failure promises: one `error:` line on stderr, no stack trace anywhere.</summary>
    public static string AssertOneErrorLine(ProcessResult result)
    {
        foreach (var text in new[] { result.StandardOutput, result.StandardError })
        {
            Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"(?m)^\s+at \S", text);
        }

        var line = Assert.Single(Lines(result.StandardError));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        return line;
    }
}
