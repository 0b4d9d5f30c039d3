namespace ServingBuild.Protos;

/// <summary>--keep-rpc names an RPC the services do not have.</summary>
public sealed class UnknownRpcException(IReadOnlyList<string> unknown, IReadOnlyList<string> available, string serviceFile, string? note = null)
    : ToolkitException($"--keep-rpc={string.Join(",", unknown)}: no such RPC in {serviceFile}; it has {string.Join(", ", available)}" + (note is null ? "" : $" ({note})"), ExitCodes.Usage)
{
    public IReadOnlyList<string> Unknown { get; } = unknown;
}
