namespace ServingBuild.Tests.Support;

/// <summary>
/// The files of a source tree, recursively, without following symbolic links: a built workspace holds Bazel's
/// bazel-* links into its output base, whose contents change while other tests build.
/// </summary>
public static class SourceFiles
{
    private static readonly EnumerationOptions NoLinks = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
    };

    public static IEnumerable<string> Under(string dir, string pattern = "*") => Directory.EnumerateFiles(dir, pattern, NoLinks);
}
