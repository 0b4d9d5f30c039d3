using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>The before/after pairs: at least one per rule of WIRE and WIRE_JSON, and the changes that break neither.</summary>
public static class DriftPairs
{
    private const string Proto3 = """
        syntax = "proto3";
        package demo;

        service Svc {
          rpc Get(Req) returns (Resp);
          rpc Put(Req) returns (Resp) {
            option idempotency_level = IDEMPOTENT;
          }
        }

        enum Kind {
          KIND_UNSPECIFIED = 0;
          KIND_A = 1;
          KIND_B = 2;
          reserved 9;
          reserved "KIND_OLD";
        }

        message Req {
          string name = 1;
          int32 count = 2;
          repeated string tags = 3;
          oneof pick {
            string a = 4;
            int64 b = 5;
          }
          Kind kind = 6;
          Inner inner = 7;
          map<string, int32> sizes = 8;
          optional int32 limit = 11;
          fixed32 f32 = 12;
          bytes blob = 13;
          string text = 14;
          reserved 20;
          reserved "old_name";

          message Inner {
            string x = 1;
          }
        }

        message Resp {
          string result = 1;
        }

        """;

    private const string Proto2 = """
        syntax = "proto2";
        package legacy;

        message Old {
          optional int32 size = 1 [default = 5];
          required string id = 2;
          optional string note = 3;
          optional Color color = 4;
        }

        enum Color {
          RED = 1;
          GREEN = 2;
        }

        """;

    private const string JsonFormat = """
        syntax = "proto3";
        package jf;

        enum Mode {
          MODE_UNSPECIFIED = 0;
        }

        message Holder {
          Mode mode = 1;
        }

        """;

    private const string Editions = """
        edition = "2023";
        package ed;

        enum Mode {
          MODE_UNSPECIFIED = 0;
        }

        message Holder {
          Mode mode = 1;
          int32 size = 2;
          Holder next = 3;
        }

        """;

    private static readonly string[] None = [];

    public static readonly IReadOnlyList<DriftPair> All =
    [
        // Fields deleted, renumbered, renamed.
        Edit("field deleted", Proto3, ["  int32 count = 2;\n", ""], ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"], ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"]),
        Edit("field deleted, number reserved", Proto3, ["  int32 count = 2;\n", "", "reserved 20;", "reserved 2, 20;"], None, ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED"]),
        Edit("field deleted, name reserved", Proto3, ["  int32 count = 2;\n", "", "reserved \"old_name\";", "reserved \"old_name\", \"count\";"], ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"], ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"]),
        Edit("field renumbered", Proto3, ["int32 count = 2;", "int32 count = 15;"], ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"], ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"]),
        Edit("field renamed", Proto3, ["int32 count = 2;", "int32 total = 2;"], None, ["FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]),
        Edit("json_name set", Proto3, ["string name = 1;", "string name = 1 [json_name = \"title\"];"], None, ["FIELD_SAME_JSON_NAME"]),

        // Field types.
        Edit("int32 to int64", Proto3, ["int32 count = 2;", "int64 count = 2;"], None, ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("int32 to uint32", Proto3, ["int32 count = 2;", "uint32 count = 2;"], None, None),
        Edit("int32 to string", Proto3, ["int32 count = 2;", "string count = 2;"], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("int32 to sint32", Proto3, ["int32 count = 2;", "sint32 count = 2;"], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("string to bytes", Proto3, ["string text = 14;", "bytes text = 14;"], None, ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("bytes to string", Proto3, ["bytes blob = 13;", "string blob = 13;"], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("fixed32 to sfixed32", Proto3, ["fixed32 f32 = 12;", "sfixed32 f32 = 12;"], None, None),
        Edit("message type changed", Proto3, ["Inner inner = 7;", "Resp inner = 7;"], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("enum to int32", Proto3, ["Kind kind = 6;", "int32 kind = 6;"], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),

        // Cardinality, oneofs.
        Edit("repeated to singular", Proto3, ["repeated string tags = 3;", "string tags = 3;"], ["FIELD_WIRE_COMPATIBLE_CARDINALITY"], ["FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"]),
        Edit("map to repeated entries", Proto3, ["map<string, int32> sizes = 8;", "repeated SizesEntry sizes = 8;\n  message SizesEntry {\n    string key = 1;\n    int32 value = 2;\n  }"], None, ["FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"]),
        Edit("optional to implicit presence", Proto3, ["optional int32 limit = 11;", "int32 limit = 11;"], None, None),
        Edit("field moved out of a oneof", Proto3, ["    int64 b = 5;\n  }", "  }\n  int64 b = 5;"], ["FIELD_SAME_ONEOF"], ["FIELD_SAME_ONEOF"]),
        Edit("field moved into a oneof", Proto3, ["  int32 count = 2;\n", "  oneof count_choice {\n    int32 count = 2;\n  }\n"], ["FIELD_SAME_ONEOF"], ["FIELD_SAME_ONEOF"]),
        Edit("oneof renamed", Proto3, ["oneof pick {", "oneof choice {"], ["FIELD_SAME_ONEOF"], ["FIELD_SAME_ONEOF"]),

        // Enums.
        Edit("enum value deleted", Proto3, ["  KIND_B = 2;\n", ""], ["ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"], ["ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"]),
        Edit("enum value deleted, number reserved", Proto3, ["  KIND_B = 2;\n", "", "reserved 9;", "reserved 2, 9;"], None, ["ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"]),
        Edit("enum value deleted, name reserved", Proto3, ["  KIND_B = 2;\n", "", "reserved \"KIND_OLD\";", "reserved \"KIND_OLD\", \"KIND_B\";"], ["ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"], ["ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"]),
        Edit("enum value renamed", Proto3, ["KIND_B = 2;", "KIND_C = 2;"], None, ["ENUM_VALUE_SAME_NAME"]),
        Edit("enum reserved number deleted", Proto3, ["  reserved 9;\n", ""], ["RESERVED_ENUM_NO_DELETE"], ["RESERVED_ENUM_NO_DELETE"]),
        Edit("enum reserved name deleted", Proto3, ["  reserved \"KIND_OLD\";\n", ""], ["RESERVED_ENUM_NO_DELETE"], ["RESERVED_ENUM_NO_DELETE"]),

        // Messages.
        Edit("message reserved number deleted", Proto3, ["  reserved 20;\n", ""], ["RESERVED_MESSAGE_NO_DELETE"], ["RESERVED_MESSAGE_NO_DELETE"]),
        Edit("message reserved name deleted", Proto3, ["  reserved \"old_name\";\n", ""], ["RESERVED_MESSAGE_NO_DELETE"], ["RESERVED_MESSAGE_NO_DELETE"]),
        Edit("message reserved range widened", Proto3, ["reserved 20;", "reserved 20 to 25;"], None, None),
        Edit("required field added", Proto2, ["optional string note = 3;", "required string note = 3;"], ["FIELD_WIRE_COMPATIBLE_CARDINALITY", "MESSAGE_SAME_REQUIRED_FIELDS"], ["FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "MESSAGE_SAME_REQUIRED_FIELDS"]),
        Edit("required field deleted", Proto2, ["  required string id = 2;\n", ""], ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "MESSAGE_SAME_REQUIRED_FIELDS"], ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "MESSAGE_SAME_REQUIRED_FIELDS"]),
        Edit("proto2 default changed", Proto2, ["[default = 5]", "[default = 6]"], ["FIELD_SAME_DEFAULT"], ["FIELD_SAME_DEFAULT"]),
        Edit("proto2 default removed", Proto2, [" [default = 5]", ""], ["FIELD_SAME_DEFAULT"], ["FIELD_SAME_DEFAULT"]),
        Edit("proto2 enum default made explicit", Proto2, ["optional Color color = 4;", "optional Color color = 4 [default = RED];"], None, None),
        Edit("proto2 enum default changed", Proto2, ["optional Color color = 4;", "optional Color color = 4 [default = GREEN];"], ["FIELD_SAME_DEFAULT"], ["FIELD_SAME_DEFAULT"]),
        Edit("proto3 to proto2 (JSON format)", JsonFormat, ["syntax = \"proto3\";", "syntax = \"proto2\";", "Mode mode = 1;", "optional Mode mode = 1;"], None, ["ENUM_SAME_JSON_FORMAT", "MESSAGE_SAME_JSON_FORMAT"]),
        Edit("editions json_format to legacy", Editions, ["package ed;", "package ed;\noption features.json_format = LEGACY_BEST_EFFORT;"], None, ["ENUM_SAME_JSON_FORMAT", "MESSAGE_SAME_JSON_FORMAT"]),
        Edit("editions presence made implicit", Editions, ["int32 size = 2;", "int32 size = 2 [features.field_presence = IMPLICIT];"], None, None),
        Edit("editions field made legacy required", Editions, ["int32 size = 2;", "int32 size = 2 [features.field_presence = LEGACY_REQUIRED];"], ["FIELD_WIRE_COMPATIBLE_CARDINALITY"], ["FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"]),
        Edit("editions message field made delimited", Editions, ["Holder next = 3;", "Holder next = 3 [features.message_encoding = DELIMITED];"], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("editions json_format on the message only", Editions, ["message Holder {", "message Holder {\n  option features.json_format = LEGACY_BEST_EFFORT;"], None, ["MESSAGE_SAME_JSON_FORMAT"]),

        // Files and RPCs.
        Edit("package changed", Proto3, ["package demo;", "package demo.v2;"], ["FILE_SAME_PACKAGE"], ["FILE_SAME_PACKAGE"]),
        Edit("rpc request type changed", Proto3, ["rpc Get(Req) returns (Resp);", "rpc Get(Resp) returns (Resp);"], ["RPC_SAME_REQUEST_TYPE"], ["RPC_SAME_REQUEST_TYPE"]),
        Edit("rpc response type changed", Proto3, ["rpc Get(Req) returns (Resp);", "rpc Get(Req) returns (Req);"], ["RPC_SAME_RESPONSE_TYPE"], ["RPC_SAME_RESPONSE_TYPE"]),
        Edit("rpc made client streaming", Proto3, ["rpc Get(Req)", "rpc Get(stream Req)"], ["RPC_SAME_CLIENT_STREAMING"], ["RPC_SAME_CLIENT_STREAMING"]),
        Edit("rpc made server streaming", Proto3, ["rpc Get(Req) returns (Resp);", "rpc Get(Req) returns (stream Resp);"], ["RPC_SAME_SERVER_STREAMING"], ["RPC_SAME_SERVER_STREAMING"]),
        Edit("rpc idempotency changed", Proto3, ["IDEMPOTENT;", "NO_SIDE_EFFECTS;"], ["RPC_SAME_IDEMPOTENCY_LEVEL"], ["RPC_SAME_IDEMPOTENCY_LEVEL"]),
        Edit("rpc idempotency removed", Proto3, ["    option idempotency_level = IDEMPOTENT;\n", ""], ["RPC_SAME_IDEMPOTENCY_LEVEL"], ["RPC_SAME_IDEMPOTENCY_LEVEL"]),

        // Real upstream history (between 0.6.0 and 1.15.0): ModelSpec.version moved into the oneof version_choice.
        new DriftPair("ModelSpec.version moved into a oneof (upstream 1.x to 2.x shape)",
            File.ReadAllText(Path.Combine(TestPaths.Fixtures, "protos", "serving-1.x", "tensorflow_serving", "apis", "model.proto")),
            File.ReadAllText(Path.Combine(TestPaths.ServingMini, "tensorflow_serving", "apis", "model.proto")),
            ["FIELD_SAME_ONEOF"], ["FIELD_SAME_ONEOF"]),

        // Neither WIRE nor WIRE_JSON: deletions of whole elements are FILE rules, additions no rule at all.
        Edit("rpc deleted", Proto3, ["  rpc Get(Req) returns (Resp);\n", ""], None, None),
        Edit("nested message deleted", Proto3, ["Inner inner = 7;", "Resp inner = 7;", "  message Inner {\n    string x = 1;\n  }\n", ""], ["FIELD_WIRE_COMPATIBLE_TYPE"], ["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]),
        Edit("fields, values and rpcs added", Proto3, ["string text = 14;", "string text = 14;\n  string note = 30;", "KIND_B = 2;", "KIND_B = 2;\n  KIND_C = 3;", "rpc Get(Req) returns (Resp);", "rpc Get(Req) returns (Resp);\n  rpc More(Req) returns (Resp);"], None, None),
    ];

    /// <summary>A pair whose after side is <paramref name="before"/> with each find/replace applied (the find must be there).</summary>
    private static DriftPair Edit(string name, string before, string[] findReplace, string[] wire, string[] wireJson)
    {
        var after = before;
        for (var i = 0; i < findReplace.Length; i += 2)
        {
            if (!after.Contains(findReplace[i], StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"pair '{name}': '{findReplace[i]}' is not in the before text");
            }

            after = after.Replace(findReplace[i], findReplace[i + 1], StringComparison.Ordinal);
        }

        return new DriftPair(name, before, after, wire, wireJson);
    }
}
