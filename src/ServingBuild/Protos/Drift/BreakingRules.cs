namespace ServingBuild.Protos.Drift;

/// <summary>
/// The registry: buf's breaking rules (bufbreaking's IDs and buf 1.75's categories) that can be told from
/// descriptors, one small check each (in the partial files by subject, as buf lays out its handlers).
/// Every rule of WIRE and WIRE_JSON is here; a few FILE rules (deletions, syntax) are too, so a report can say
/// what vanished or changed in generated code: they never stop the stage, because no gate category holds
/// them, but the wire proof of every run demands none of them either.
/// </summary>
public static partial class BreakingRules
{
    public const string Wire = "WIRE";
    public const string WireJson = "WIRE_JSON";

    /// <summary>The categories --breaking accepts, the default first.</summary>
    public static readonly IReadOnlyList<string> GateCategories = [Wire, WireJson];

    private static readonly string[] WireAndJson = ["CSR", "FILE", "PACKAGE", WireJson, Wire];
    private static readonly string[] JsonOnly = ["CSR", "FILE", "PACKAGE", WireJson];

    public static readonly IReadOnlyList<BreakingRule> All =
    [
        // Enums
        new("ENUM_SAME_JSON_FORMAT", JsonOnly, "enums keep JSON support (features.json_format ALLOW stays ALLOW)", EnumSameJsonFormat),
        new("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", ["CSR", WireJson], "enum values are not deleted unless their name is reserved", EnumValueNoDeleteUnlessNameReserved),
        new("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", ["CSR", WireJson, Wire], "enum values are not deleted unless their number is reserved", EnumValueNoDeleteUnlessNumberReserved),
        new("ENUM_VALUE_SAME_NAME", JsonOnly, "enum values keep their names", EnumValueSameName),
        new("RESERVED_ENUM_NO_DELETE", WireAndJson, "reserved ranges and names are not deleted from enums", ReservedEnumNoDelete),

        // Fields
        new("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", ["CSR", WireJson], "fields are not deleted unless their name is reserved", FieldNoDeleteUnlessNameReserved),
        new("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", ["CSR", WireJson, Wire], "fields are not deleted unless their number is reserved", FieldNoDeleteUnlessNumberReserved),
        new("FIELD_SAME_DEFAULT", WireAndJson, "fields keep their default value (proto2 and editions defaults)", FieldSameDefault),
        new("FIELD_SAME_JSON_NAME", JsonOnly, "fields keep their JSON name", FieldSameJsonName),
        new("FIELD_SAME_NAME", JsonOnly, "fields keep their name", FieldSameName),
        new("FIELD_SAME_ONEOF", WireAndJson, "fields stay in (or out of) the same oneof", FieldSameOneof),
        new("FIELD_WIRE_COMPATIBLE_CARDINALITY", [Wire], "fields keep a wire-compatible cardinality", FieldWireCompatibleCardinality),
        new("FIELD_WIRE_COMPATIBLE_TYPE", [Wire], "fields keep a wire-compatible type", FieldWireCompatibleType),
        new("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", ["CSR", WireJson], "fields keep a cardinality compatible on the wire and in JSON", FieldWireJsonCompatibleCardinality),
        new("FIELD_WIRE_JSON_COMPATIBLE_TYPE", ["CSR", WireJson], "fields keep a type compatible on the wire and in JSON", FieldWireJsonCompatibleType),

        // Files
        new("FILE_SAME_PACKAGE", WireAndJson, "files keep their package", FileSamePackage),

        // Messages
        new("MESSAGE_SAME_JSON_FORMAT", JsonOnly, "messages keep JSON support (features.json_format ALLOW stays ALLOW)", MessageSameJsonFormat),
        new("MESSAGE_SAME_REQUIRED_FIELDS", WireAndJson, "messages neither gain nor lose required fields", MessageSameRequiredFields),
        new("RESERVED_MESSAGE_NO_DELETE", WireAndJson, "reserved ranges and names are not deleted from messages", ReservedMessageNoDelete),

        // RPCs
        new("RPC_SAME_CLIENT_STREAMING", WireAndJson, "RPCs keep client streaming on or off", RpcSameClientStreaming),
        new("RPC_SAME_IDEMPOTENCY_LEVEL", WireAndJson, "RPCs keep their idempotency_level option", RpcSameIdempotencyLevel),
        new("RPC_SAME_REQUEST_TYPE", WireAndJson, "RPCs keep their request type", RpcSameRequestType),
        new("RPC_SAME_RESPONSE_TYPE", WireAndJson, "RPCs keep their response type", RpcSameResponseType),
        new("RPC_SAME_SERVER_STREAMING", WireAndJson, "RPCs keep server streaming on or off", RpcSameServerStreaming),

        // FILE category only: reported as notes, never a gate.
        new("ENUM_NO_DELETE", ["CSR", "FILE"], "enums are not deleted from a file", EnumNoDelete),
        new("FILE_NO_DELETE", ["CSR", "FILE"], "files are not deleted", FileNoDelete),
        new("FIELD_SAME_CARDINALITY", ["FILE", "PACKAGE"], "fields keep their cardinality (generated code changes even where the wire does not)", FieldSameCardinality),
        new("FIELD_SAME_TYPE", ["CSR", "FILE", "PACKAGE"], "fields keep their type (generated code changes even where the wire does not)", FieldSameType),
        new("FILE_SAME_SYNTAX", ["CSR", "FILE", "PACKAGE"], "files keep their syntax", FileSameSyntax),
        new("MESSAGE_NO_DELETE", ["CSR", "FILE"], "messages are not deleted from a file", MessageNoDelete),
        new("RPC_NO_DELETE", ["FILE", "PACKAGE"], "RPCs are not deleted from a service", RpcNoDelete),
        new("SERVICE_NO_DELETE", ["FILE"], "services are not deleted from a file", ServiceNoDelete),
    ];

    private static readonly Dictionary<string, BreakingRule> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static BreakingRule? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The rules a gate category holds.</summary>
    public static IReadOnlyList<BreakingRule> In(string category) => All.Where(r => r.IsIn(category)).ToList();
}
