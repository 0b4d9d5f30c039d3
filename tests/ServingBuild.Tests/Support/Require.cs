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

    /// <summary>On PATH, or in the sbin folders a non-login root shell may lack (sshd, nginx).</summary>
    public static string? Find(string name) =>
        ProgramPath.Find(name) ?? ProgramPath.Find(name, string.Join(Path.PathSeparator, "/usr/sbin", "/sbin"));

    public static bool IsRoot => ThisProcess.IsRoot;

    public static TaskLog Log(ITestOutputHelper? output = null) =>
        new(null, output is null ? TextWriter.Null : new TestOutputWriter(output));
}
