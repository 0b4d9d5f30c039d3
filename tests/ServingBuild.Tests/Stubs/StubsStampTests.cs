using ServingBuild.Stubs;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Stubs;

public sealed class StubsStampTests
{
    private static TempDir Root()
    {
        var root = new TempDir("stamp");
        root.Write("protos/predict.proto", "syntax = \"proto3\";\n");
        root.Write("src/TensorFlowServing.Client/Tensor.cs", "// client\n");
        root.Write("src/ServingBuild.Verifier/Program.cs", "// verifier\n");
        root.Write("src/ServingBuild/Verification/VerifyReport.cs", "// library\n");
        root.Write("Directory.Packages.props", "<Project />\n");
        return root;
    }

    private static string Hash(TempDir root, string version = "2.20.0-client.1", string keep = "Predict") =>
        StubsStamp.ComputeInputsHash(root.Path, root.Combine("protos"), version, keep.Split(','));

    [Fact]
    public void The_same_inputs_give_the_same_hash()
    {
        using var root = Root();
        Assert.Equal(Hash(root), Hash(root));
    }

    [Theory]
    [InlineData("protos/predict.proto")]
    [InlineData("src/TensorFlowServing.Client/Tensor.cs")]
    [InlineData("src/ServingBuild.Verifier/Program.cs")]
    [InlineData("src/ServingBuild/Verification/VerifyReport.cs")]
    [InlineData("Directory.Packages.props")]
    public void Any_changed_input_changes_the_hash(string file)
    {
        using var root = Root();
        var before = Hash(root);
        File.AppendAllText(root.Combine(file), "// changed\n");
        Assert.NotEqual(before, Hash(root));
    }

    [Fact]
    public void A_new_proto_the_version_or_the_kept_RPCs_change_the_hash()
    {
        using var root = Root();
        var before = Hash(root);
        Assert.NotEqual(before, Hash(root, version: "2.21.0-client.1"));
        Assert.NotEqual(before, Hash(root, keep: "Predict,Classify"));
        root.Write("protos/extra.proto", "syntax = \"proto3\";\n");
        Assert.NotEqual(before, Hash(root));
    }

    [Fact]
    public void Build_outputs_next_to_the_sources_do_not_count()
    {
        using var root = Root();
        var before = Hash(root);
        root.Write("src/TensorFlowServing.Client/obj/project.assets.json", "{}");
        root.Write("src/TensorFlowServing.Client/bin/x.dll", "x");
        Assert.Equal(before, Hash(root));
    }

    [Fact]
    public void A_damaged_stamp_reads_as_none()
    {
        using var root = Root();
        var path = root.Write("stamp.json", "{ not json");
        Assert.Null(StubsStamp.Read(path));
        new StubsStamp("abc", "1.0.0-client.1", "/p.nupkg").Write(path);
        Assert.Equal("abc", StubsStamp.Read(path)!.InputsHash);
    }
}
