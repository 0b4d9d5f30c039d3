using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Tests.Support;

/// <summary>The repository the tests run in, and the bundled miniature serving workspace.</summary>
public static class TestPaths
{
    public static ToolkitPaths Toolkit { get; } = ToolkitPaths.Discover(AppContext.BaseDirectory);
    public static string Root => Toolkit.Root;
    public static string ServingMini => Toolkit.BundledServingDir;
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");
}
