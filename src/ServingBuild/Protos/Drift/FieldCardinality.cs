namespace ServingBuild.Protos.Drift;

/// <summary>A field's cardinality as buf names it (cardinality.go): what FIELD_WIRE[_JSON]_COMPATIBLE_CARDINALITY compare.</summary>
public enum FieldCardinality
{
    OptionalExplicitPresence,
    OptionalImplicitPresence,
    Required,
    Repeated,
    Map,
}
