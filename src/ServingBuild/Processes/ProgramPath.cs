namespace ServingBuild.Processes;

/// <summary>The one PATH lookup: where a program name resolves, as `command -v` would find it.</summary>
public static class ProgramPath
{
    /// <summary>
    /// A name with a '/' is taken as a path (made absolute); a bare name is looked up in
    /// <paramref name="pathVariable"/> (default: this process's PATH). Only executable regular files count. Null when none.
    /// </summary>
    public static string? Find(string name, string? pathVariable = null)
    {
        if (name.Contains('/'))
        {
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        }

        foreach (var dir in (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        return OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
