using ServingBuild.Protos;

namespace ServingBuild.Tests.Protos;

/// <summary>The wire check must be able to fail: each kind of difference it guards against is caught, by the registry's rules.</summary>
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
    [InlineData("added", "rpc Drop(Req) returns (Resp);", "rpc Drop(Req) returns (Resp);")]
    [InlineData("RPC_NO_DELETE", "rpc Get(Req) returns (Resp);", "")]
    [InlineData("FIELD_SAME_CARDINALITY", "optional int32 count = 2;", "int32 count = 2;")]
    [InlineData("FIELD_SAME_TYPE", "optional int32 count = 2;", "optional uint32 count = 2;")]
    [InlineData("FIELD_SAME_NAME", "string name = 1;", "string title = 1;")]
    [InlineData("FIELD_SAME_ONEOF", "oneof pick { string a = 4; string b = 5; }", "oneof pick { string a = 4; } string b = 5;")]
    [InlineData("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "map<string, int64> sizes = 3;", "repeated SizesEntry sizes = 3; message SizesEntry { string key = 1; int64 value = 2; }")]
    [InlineData("FIELD_SAME_JSON_NAME", "string name = 1;", "string name = 1 [json_name = \"n\"];")]
    [InlineData("RESERVED_MESSAGE_NO_DELETE", "reserved 9;", "")]
    [InlineData("added", "KIND_A = 1;", "KIND_A = 1; KIND_B = 2;")]
    [InlineData("ENUM_VALUE_SAME_NAME", "KIND_A = 1;", "KIND_B = 1;")]
    [InlineData("added", "message Resp { Kind kind = 1; }", "message Resp { Kind kind = 1; } message Extra {}")]
    [InlineData("ENUM_NO_DELETE", "enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }\nmessage Resp { Kind kind = 1; }", "message Resp { int32 kind = 1; }")]
    [InlineData("FILE_SAME_PACKAGE", "package demo;", "package demo2;")]
    public async Task A_difference_is_found(string rule, string find, string replace)
    {
        var output = Upstream.Replace("  rpc Drop(Req) returns (Resp);\n", "", StringComparison.Ordinal);
        if (rule == "added" && find.StartsWith("rpc", StringComparison.Ordinal))
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

    [Fact]
    public async Task An_extra_import_changes_nothing_on_the_wire()
    {
        var output = Upstream.Replace("  rpc Drop(Req) returns (Resp);\n", "", StringComparison.Ordinal)
            .Replace("import \"google/protobuf/wrappers.proto\";", "import \"google/protobuf/wrappers.proto\";\nimport \"google/protobuf/any.proto\";", StringComparison.Ordinal);

        Assert.Empty(await DiffAsync(output));
    }
}
