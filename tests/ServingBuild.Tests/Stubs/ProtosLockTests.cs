using ServingBuild.Tests.Support;
using ServingBuild.Stubs;

namespace ServingBuild.Tests.Stubs;

public sealed class ProtosLockTests
{
    private static TempDir ProtosWithLock(string? version = "2.20.0")
    {
        var dir = new TempDir("protos");
        dir.Write("predict.proto", "syntax = \"proto3\";\n");
        dir.Write("tensorflow/core/framework/tensor.proto", "syntax = \"proto3\";\n");
        ToolkitCopy.WriteLock(dir.Path, version);
        return dir;
    }

    [Fact]
    public void Protos_that_match_their_lock_pass_and_give_the_serving_version()
    {
        using var dir = ProtosWithLock();
        var theLock = ProtosLock.ReadAndCheck(dir.Path);
        Assert.Equal("2.20.0", theLock.ServingVersion);
        Assert.Equal(["predict.proto", "tensorflow/core/framework/tensor.proto"], theLock.Outputs.Keys.Order());
    }

    [Fact]
    public void A_changed_proto_is_named_with_the_fix()
    {
        using var dir = ProtosWithLock();
        File.AppendAllText(dir.Combine("tensorflow/core/framework/tensor.proto"), "// edited\n");
        var ex = Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(dir.Path));
        Assert.Contains("tensor.proto was changed after the Protos stage wrote it", ex.Message);
        Assert.Contains("./build.sh --target=Protos", ex.Message);
    }

    [Fact]
    public void A_missing_or_an_unlisted_proto_is_refused()
    {
        using var missing = ProtosWithLock();
        File.Delete(missing.Combine("predict.proto"));
        Assert.Contains("predict.proto is listed in protos.lock.json but missing", Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(missing.Path)).Message);

        using var extra = ProtosWithLock();
        extra.Write("classification.proto", "syntax = \"proto3\";\n");
        Assert.Contains("classification.proto is not listed", Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(extra.Path)).Message);
    }

    [Fact]
    public void No_protos_folder_no_lock_or_a_broken_lock_is_refused()
    {
        using var dir = new TempDir("protos");
        Assert.Contains("does not exist", Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(dir.Combine("nope"))).Message);
        dir.Write("predict.proto", "syntax = \"proto3\";\n");
        Assert.Contains("protos.lock.json is missing", Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(dir.Path)).Message);
        dir.Write("protos.lock.json", "{\n\"outputs\": {\n");
        Assert.Contains("protos.lock.json:", Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(dir.Path)).Message);
        dir.Write("protos.lock.json", "{\"outputs\": {\"../x.proto\": \"00\"}}");
        Assert.Contains("is not a relative path", Assert.Throws<ProtosLockMismatchException>(() => ProtosLock.ReadAndCheck(dir.Path)).Message);
    }

    [Theory]
    [InlineData("2.20.0", "2.20.0-client.1")]
    [InlineData("v2.19.1", "2.19.1-client.1")]
    [InlineData("2.20.0-rc1", "2.20.0-client.1")]
    [InlineData(null, "0.0.0-client.1")]
    public void The_package_version_carries_the_serving_version(string? serving, string expected) =>
        Assert.Equal(expected, StubsStage.PackageVersion(serving));

    [Fact]
    public void A_serving_version_that_is_not_x_y_z_is_refused() =>
        Assert.Throws<ProtosLockMismatchException>(() => StubsStage.PackageVersion("master"));
}
