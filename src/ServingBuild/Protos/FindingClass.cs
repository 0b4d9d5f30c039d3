namespace ServingBuild.Protos;

/// <summary>Whether a change can break a peer built from the other side's protos.</summary>
public enum FindingClass
{
    /// <summary>A peer built from the old protos may misread or reject messages (or lose an RPC).</summary>
    WireBreaking,

    /// <summary>Something new that old peers ignore.</summary>
    Additive,
}
