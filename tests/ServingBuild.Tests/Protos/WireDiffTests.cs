using ServingBuild.Protos;

namespace ServingBuild.Tests.Protos;

/// <summary>The wire check must be able to fail: each kind of difference it guards against is caught.</summary>
[Trait("Category", "Integration")]
public sealed class WireDiffTests
{
    private const string Upstream = """
        syntax = "proto3";
        package demo;
        import "google/protobuf/wrappers.proto";
        service Svc {
          rpc Get(Req) returns (Resp);
          rpc Drop(Req) returns (Resp);
        }
        message Req {
          string name = 1;
          optional int32 count = 2;
          map<string, int64> sizes = 3;
          oneof pick { string a = 4; string b = 5; }
          google.protobuf.Int64Value v = 6;
          reserved 9;
        }
        enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
        message Resp { Kind kind = 1; }
        """;

    private static readonly Dictionary<string, string> Names = new() { ["x.proto"] = "x.proto" };

    private static async Task<IReadOnlyList<DescriptorFinding>> DiffAsync(string output, string[]? kept = null)
    {
        var upstream = await ProtoDriftTests.CompileAsync(Upstream, "x.proto");
        var compiled = await ProtoDriftTests.CompileAsync(output, "x.proto");
        return WireDiff.Compare(upstream, compiled, Names, kept ?? ["Get"], [("x.proto", "unused.proto")]);
    }

    [Fact]
    public async Task The_same_file_with_the_stripped_rpc_gone_has_no_findings()
    {
        Assert.Empty(await DiffAsync(Upstream.Replace("  rpc Drop(Req) returns (Resp);\n", "", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("RPC_ADDED", "rpc Drop(Req) returns (Resp);", "rpc Drop(Req) returns (Resp);")]
    [InlineData("RPC_NO_DELETE", "rpc Get(Req) returns (Resp);", "")]
    [InlineData("FIELD_SAME_LABEL", "optional int32 count = 2;", "int32 count = 2;")]
    [InlineData("FIELD_SAME_ONEOF", "oneof pick { string a = 4; string b = 5; }", "oneof pick { string a = 4; } string b = 5;")]
    [InlineData("MESSAGE_SAME_MAP_ENTRY", "map<string, int64> sizes = 3;", "repeated SizesEntry sizes = 3; message SizesEntry { string key = 1; int64 value = 2; }")]
    [InlineData("FIELD_SAME_JSON_NAME", "string name = 1;", "string name = 1 [json_name = \"n\"];")]
    [InlineData("RESERVED_MESSAGE_NO_DELETE", "reserved 9;", "")]
    [InlineData("ENUM_VALUE_ADDED", "KIND_A = 1;", "KIND_A = 1; KIND_B = 2;")]
    [InlineData("FILE_SAME_PACKAGE", "package demo;", "package demo2;")]
    [InlineData("FILE_SAME_IMPORTS", "import \"google/protobuf/wrappers.proto\";", "import \"google/protobuf/wrappers.proto\";\nimport \"google/protobuf/any.proto\";")]
    public async Task A_difference_is_found(string rule, string find, string replace)
    {
        var output = Upstream.Replace("  rpc Drop(Req) returns (Resp);\n", "", StringComparison.Ordinal);
        if (rule == "RPC_ADDED")
        {
            output = Upstream;
        }
        else
        {
            Assert.Contains(find, output);
            output = output.Replace(find, replace, StringComparison.Ordinal);
        }

        var findings = await DiffAsync(output);

        Assert.Contains(findings, f => f.Rule == rule);
    }
}
