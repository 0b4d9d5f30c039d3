namespace ServingBuild.Protos;

/// <summary>protos.lock.json is not what the Protos stage writes (not JSON, a missing field, an older format, a serving version that is not x.y.z).</summary>
public sealed class ProtosLockInvalidException(string lockPath, string problem)
    : ToolkitException($"{lockPath} is not a valid protos lock ({Files.AtomicFile.OneLine(problem)}); restore it (e.g. from version control), or delete the folder {Path.GetDirectoryName(lockPath)} and run ./build.sh --target=Protos to write it again")
{
}
