namespace ServingBuild.Files;

/// <summary>Another run held the output's lock for longer than this run would wait.</summary>
public sealed class OutputBusyException(string what, string folder, TimeSpan waited)
    : ToolkitException($"another servingbuild run is still writing {what} (lock on {folder} held for more than {waited.TotalSeconds:0} s); wait for it to finish, or choose another output", ExitCodes.StageFailed)
{
}
