namespace ServingBuild.Tests.Protos.Drift;

/// <summary>
/// A hand-written before/after pair of x.proto and the buf rule IDs it must raise under WIRE and under WIRE_JSON
/// (empty: nothing breaks clients of that kind).
/// </summary>
public sealed record DriftPair(string Name, string Before, string After, string[] Wire, string[] WireJson)
{
    public override string ToString() => Name;
}
