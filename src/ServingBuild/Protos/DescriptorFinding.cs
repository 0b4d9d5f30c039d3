namespace ServingBuild.Protos;

/// <summary>One difference between two descriptor sets, named by rule as buf's breaking checker names them.</summary>
public sealed record DescriptorFinding(string Rule, FindingClass Class, string Subject, string Detail)
{
    public bool IsBreaking => Class == FindingClass.WireBreaking;

    public override string ToString() => $"{Rule} {Subject}: {Detail}";
}
