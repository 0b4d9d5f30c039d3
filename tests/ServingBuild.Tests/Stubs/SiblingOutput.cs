using ServingBuild.Tests.Support;
namespace ServingBuild.Tests.Stubs;

/// <summary>Assemblies of the projects this test project builds next to itself (artifacts/dotnet/bin/&lt;project&gt;/&lt;config&gt;/).</summary>
internal static class SiblingOutput
{
    public static string Dll(string project)
    {
        // AppContext.BaseDirectory is artifacts/dotnet/bin/ServingBuild.Tests/<config>/
        var config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var path = Path.Combine(TestPaths.Root, "artifacts", "dotnet", "bin", project, config, project + ".dll");
        Assert.True(File.Exists(path), $"{path} was not built; build tests/ServingBuild.Tests (it builds {project})");
        return path;
    }
}
