namespace ServingBuild.Protos.Drift;

/// <summary>Where an element is: file:line:column (1-based, from protoc's source info), or the file alone when unknown.</summary>
public sealed record SourcePosition(string File, int Line, int Column)
{
    public bool IsKnown => Line > 0;

    public override string ToString() => IsKnown ? $"{File}:{Line}:{Column}" : File;
}
