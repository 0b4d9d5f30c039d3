namespace ServingBuild.Protos;

/// <summary>--keep-rpc names an RPC the service does not have.</summary>
public sealed class UnknownRpcException(IReadOnlyList<string> unknown, IReadOnlyList<string> available, string serviceFile)
    : ToolkitException($"--keep-rpc={string.Join(",", unknown)}: no such RPC in {serviceFile}; it has {string.Join(", ", available)}", ExitCodes.Usage)
{
    public IReadOnlyList<string> Unknown { get; } = unknown;
}
