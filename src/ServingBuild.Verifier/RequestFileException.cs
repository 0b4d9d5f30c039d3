namespace ServingBuild.Verifier;

/// <summary>A --request or --expect file that cannot be used, in one line with the fix (the verifier exits 2).</summary>
internal sealed class RequestFileException(string message) : Exception(message);
