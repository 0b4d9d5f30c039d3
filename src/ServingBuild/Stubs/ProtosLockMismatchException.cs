namespace ServingBuild.Stubs;

/// <summary>protos/ is missing, or does not match protos/protos.lock.json; the fix is to run the Protos stage.</summary>
public sealed class ProtosLockMismatchException(string message) : ToolkitException(message);
