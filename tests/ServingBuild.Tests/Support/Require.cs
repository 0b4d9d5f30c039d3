using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Tests.Support;

/// <summary>
/// Prerequisites of integration tests. A missing one fails the test with the fix: tests never skip
/// (./build.sh --target=Test installs everything first).
/// </summary>
public static class Require
{
    public static string Program(string name, string package)
    {
        var path = Find(name);
        if (path is null)
        {
            Assert.Fail($"integration prerequisite '{name}' is not installed; run ./build.sh --target=Test (it installs it) or apt-get install {package}");
        }

        return path!;
    }

    public static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static TaskLog Log(ITestOutputHelper? output = null) =>
        new(null, output is null ? TextWriter.Null : new TestOutputWriter(output));
}
