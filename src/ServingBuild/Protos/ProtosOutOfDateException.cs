namespace ServingBuild.Protos;

/// <summary>protos/ does not match its protos.lock.json (hand-edited, partly copied, no lock, or no protos/ at all).</summary>
public sealed class ProtosOutOfDateException : ToolkitException
{
    public ProtosOutOfDateException(string dir, string problem)
        : base($"{dir} does not match its {ProtosLock.FileName}: {problem}; {Fix}")
    {
    }

    private ProtosOutOfDateException(string message)
        : base(message)
    {
    }

    private const string Fix = "regenerate it with ./build.sh --target=Protos";

    /// <summary>The folder itself is missing: saying it "does not match" its lock would send the user looking for a lock.</summary>
    public static ProtosOutOfDateException NoFolder(string dir) =>
        new($"{dir} does not exist; generate it with ./build.sh --target=Protos");

    /// <summary>The folder exists but no Protos run wrote a lock there, so nothing vouches for its files.</summary>
    public static ProtosOutOfDateException NoLock(string dir) =>
        new($"{dir} has no {ProtosLock.FileName}, so its protos cannot be trusted; {Fix}");
}
