using System.Diagnostics;

namespace ServingBuild.Tests.Support;

/// <summary>
/// A tiny native executable (compiled once per test run with the system C compiler) that execs the shell script
/// beside it named &lt;itself&gt;.sh with its own arguments. Verify refuses a script as the server binary, so a test
/// standing in for tensorflow_model_server uses this ELF shim in front of its script; exec keeps the process id.
/// </summary>
public static class ElfLauncher
{
    private const string Source = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            char self[4096];
            ssize_t n = readlink("/proc/self/exe", self, sizeof self - 4);
            if (n < 0) { perror("readlink"); return 127; }
            strcpy(self + n, ".sh");
            char **args = calloc((size_t)argc + 2, sizeof *args);
            args[0] = "sh";
            args[1] = self;
            for (int i = 1; i < argc; i++) args[i + 1] = argv[i];
            execv("/bin/sh", args);
            perror("execv");
            return 127;
        }
        """;

    private static readonly TempDir Dir = new("elf-launcher");
    private static readonly Lazy<string> Built = new(Build);

    static ElfLauncher() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Dir.Dispose();

    /// <summary>Puts the shim at <paramref name="path"/> (0755) and <paramref name="script"/> at path.sh.</summary>
    public static void Install(string path, string script)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Built.Value, path, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        }

        File.WriteAllText(path + ".sh", script);
    }

    private static string Build()
    {
        var cc = Require.Program("cc", "gcc");
        var source = Dir.Write("launcher.c", Source);
        var output = Dir.Combine("launcher");
        using var process = Process.Start(new ProcessStartInfo(cc, ["-O2", "-o", output, source]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"cc failed to build the ELF launcher: {errors}");
        return output;
    }
}
