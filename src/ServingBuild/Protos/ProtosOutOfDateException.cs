namespace ServingBuild.Protos;

/// <summary>protos/ does not match its protos.lock.json (hand-edited, partly copied, or no lock at all).</summary>
public sealed class ProtosOutOfDateException(string dir, string problem)
    : ToolkitException($"{dir} does not match its {ProtosLock.FileName}: {problem}; regenerate it with ./build.sh --target=Protos")
{
}
