using ServingBuild.Test;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Test;

/// <summary>Where the Test task's npm step leaves buf, and how the drift tests find it.</summary>
public sealed class BufToolTests
{
    [Fact]
    public void No_buf_in_an_empty_cache()
    {
        using var cache = new TempDir();

        Assert.Null(BufTool.Binary(cache.Path));
    }

    [Fact]
    public void The_native_binary_npm_installs_for_the_platform_is_found_under_the_tools_folder()
    {
        using var cache = new TempDir();
        var binary = cache.Write("tools/buf/node_modules/@bufbuild/buf-linux-x64/bin/buf", "");
        cache.Write("tools/buf/node_modules/@bufbuild/buf/bin/buf", "#!/usr/bin/env node\n");

        Assert.Equal(binary, BufTool.Binary(cache.Path));
        Assert.Equal(Path.Combine(cache.Path, "tools", "buf"), BufTool.Folder(cache.Path));
    }
}
