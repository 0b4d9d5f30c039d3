namespace ServingBuild.Stubs;

/// <summary>The built client does not expose exactly the RPCs that were kept.</summary>
public sealed class ClientSurfaceException(string message) : ToolkitException(message);
