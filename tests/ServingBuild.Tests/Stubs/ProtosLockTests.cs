using ServingBuild.Protos;
using ServingBuild.Stubs;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Stubs;

/// <summary>
/// What the Stubs stage needs from the Protos stage's lock reader beyond what tests/Protos covers (changed,
/// missing and extra protos are tested there): one clear line for no folder, no lock or a damaged lock, the
/// serving version surviving the lock, and the package version built from it.
/// </summary>
public sealed class ProtosLockTests
{
    /// <summary>A copy of the committed protos/ with its real lock, carrying a serving version.</summary>
    private static TempDir CommittedProtos(string? version = "2.20.0")
    {
        var dir = new TempDir("protos");
        ToolkitCopy.CopyTree(Path.Combine(TestPaths.Root, "protos"), dir.Path);
        ToolkitCopy.SetServingVersion(dir.Path, version);
        return dir;
    }

    [Fact]
    public void The_committed_protos_pass_and_give_the_serving_version_for_the_package()
    {
        using var dir = CommittedProtos();
        var theLock = ProtosLock.ReadVerified(dir.Path);
        Assert.Equal("2.20.0", theLock.ServingVersion?.ToString());
        Assert.Contains(theLock.Outputs, o => o.Path == "tensorflow/core/framework/tensor.proto");
        Assert.Equal("2.20.0-client.1", StubsStage.PackageVersion(theLock.ServingVersion));
    }

    [Fact]
    public void No_folder_or_no_lock_is_one_line_with_the_fix()
    {
        using var dir = new TempDir("protos");
        var noFolder = Assert.Throws<ProtosOutOfDateException>(() => ProtosLock.ReadVerified(dir.Combine("nope")));
        Assert.Equal($"{dir.Combine("nope")} does not exist; generate it with ./build.sh --target=Protos", noFolder.Message);

        dir.Write("predict.proto", "syntax = \"proto3\";\n");
        var noLock = Assert.Throws<ProtosOutOfDateException>(() => ProtosLock.ReadVerified(dir.Path));
        Assert.Equal($"{dir.Path} has no protos.lock.json, so its protos cannot be trusted; regenerate it with ./build.sh --target=Protos", noLock.Message);
    }

    [Theory]
    [InlineData("{\n\"format\": 1,\n", "not valid JSON at line 3")] // cut short
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"format\": 1}", "no \"servingDir\", \"tensorflowDir\"")]
    [InlineData("{\"servingDir\": \".\"}", "no \"format\"")]
    // The format the Stubs stage was first written against (outputs as a path -> sha256 object) is refused by name.
    [InlineData("{\"outputs\": {\"predict.proto\": \"00\"}, \"servingVersion\": \"2.20.0\"}", "\"outputs\" is not what the Protos stage writes")]
    public void A_damaged_or_foreign_lock_is_one_line_naming_it_and_the_fix(string content, string reason)
    {
        using var dir = CommittedProtos();
        var lockPath = dir.Write(ProtosLock.FileName, content);

        var ex = Assert.Throws<ProtosLockInvalidException>(() => ProtosLock.ReadVerified(dir.Path));

        Assert.StartsWith($"{lockPath} is not a valid protos lock (", ex.Message);
        Assert.Contains(reason, ex.Message);
        // Deleting only the lock would leave a folder Protos no longer recognises as its own: the fix names the folder.
        Assert.EndsWith($"restore it (e.g. from version control), or delete the folder {dir.Path} and run ./build.sh --target=Protos to write it again", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Outputs_written_as_an_object_are_refused_by_name()
    {
        using var dir = CommittedProtos();
        var lockPath = Path.Combine(dir.Path, ProtosLock.FileName);
        var text = File.ReadAllText(lockPath);
        var start = text.IndexOf("\"outputs\": [", StringComparison.Ordinal);
        var end = text.IndexOf(']', start);
        File.WriteAllText(lockPath, text[..start] + "\"outputs\": {\"predict.proto\": \"00\"}" + text[(end + 1)..]);

        var ex = Assert.Throws<ProtosLockInvalidException>(() => ProtosLock.ReadVerified(dir.Path));
        Assert.Contains("(\"outputs\" is not what the Protos stage writes)", ex.Message);
    }

    [Theory]
    [InlineData("2.20.0", "2.20.0-client.1")]
    [InlineData("v2.19.1", "2.19.1-client.1")]
    [InlineData("2.20.0-rc1", "2.20.0-client.1")]
    [InlineData("v2.20", "2.20.0-client.1")]
    public void The_package_version_carries_the_serving_version_the_Protos_stage_recorded(string tag, string expected)
    {
        // The writer's side: what ServingVersion makes of a tag goes into the lock, and the reader's side reads it back.
        using var dir = CommittedProtos(version: null);
        ToolkitCopy.SetServingVersion(dir.Path, tag);
        Assert.Equal(expected, StubsStage.PackageVersion(ProtosLock.ReadVerified(dir.Path).ServingVersion));
    }

    [Fact]
    public void A_lock_without_a_serving_version_gives_0_0_0() =>
        Assert.Equal("0.0.0-client.1", StubsStage.PackageVersion(null));

    [Fact]
    public void A_lock_an_older_toolkit_wrote_with_a_two_part_version_reads_as_x_y_0()
    {
        using var dir = CommittedProtos(version: null);
        var lockPath = Path.Combine(dir.Path, ProtosLock.FileName);
        File.WriteAllText(lockPath, File.ReadAllText(lockPath).Replace("\"servingVersion\": null", "\"servingVersion\": \"2.20\"", StringComparison.Ordinal));

        var theLock = ProtosLock.ReadVerified(dir.Path);

        Assert.Equal("2.20.0", theLock.ServingVersion?.ToString());
        Assert.Equal("2.20.0-client.1", StubsStage.PackageVersion(theLock.ServingVersion));
    }

    [Fact]
    public void A_serving_version_that_is_not_a_release_names_the_lock_and_the_fix()
    {
        using var dir = CommittedProtos(version: null);
        var lockPath = Path.Combine(dir.Path, ProtosLock.FileName);
        File.WriteAllText(lockPath, File.ReadAllText(lockPath).Replace("\"servingVersion\": null", "\"servingVersion\": \"master\"", StringComparison.Ordinal));

        var ex = Assert.Throws<ProtosLockInvalidException>(() => ProtosLock.ReadVerified(dir.Path));
        Assert.Equal($"{lockPath} is not a valid protos lock (\"master\" is not a serving version such as 2.20.0); restore it (e.g. from version control), or delete the folder {dir.Path} and run ./build.sh --target=Protos to write it again", ex.Message);
    }
}
