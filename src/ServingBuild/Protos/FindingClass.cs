namespace ServingBuild.Protos;

/// <summary>What kind of difference a finding is.</summary>
public enum FindingClass
{
    /// <summary>A buf breaking rule fired; whether it stops the stage depends on the rule's categories and --breaking.</summary>
    Change,

    /// <summary>Something new that old peers ignore (a field, value, RPC, message, reserved range); never under a buf rule ID.</summary>
    Addition,
}
