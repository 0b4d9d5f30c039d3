namespace ServingBuild.Protos;

/// <summary>--protos-out points at a folder holding other files: the stage replaces the whole folder, so it refuses.</summary>
public sealed class ProtosOutputNotOwnedException(string dir, string stranger)
    : ToolkitException($"--protos-out={dir} holds {stranger}, which is not a proto this stage wrote; the stage replaces the whole folder, so pass an empty or new folder", ExitCodes.Usage)
{
}
