namespace ServingBuild.Verify;

/// <summary>
/// The server binary Verify was given (or found) cannot be started here: missing, a folder, not executable, a
/// script, built for another machine, needing a newer glibc than the host has, or not the file its manifest
/// describes. Exit 1, or 3 when the host is what falls short (glibc).
/// </summary>
public sealed class ServerBinaryUnusableException(string message, int exitCode = ExitCodes.StageFailed) : ToolkitException(message, exitCode);
