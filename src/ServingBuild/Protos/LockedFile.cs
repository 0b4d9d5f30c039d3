namespace ServingBuild.Protos;

/// <summary>One file named in protos.lock.json: its proto name, its sha256 and (inputs) the index of its include root.</summary>
public sealed record LockedFile(string Path, string Sha256, int Root = 0);
