namespace ServingBuild.Processes;

/// <summary>An external program the stage needs is not installed or not on PATH.</summary>
public sealed class ProgramNotFoundException(string program, string fix)
    : ToolkitException($"program '{program}' was not found on PATH; {fix}", ExitCodes.Prerequisite);
