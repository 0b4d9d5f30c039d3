namespace ServingBuild.Protos;

/// <summary>An import that protoc cannot find in any include folder (a file the kept RPCs need that cannot be provided).</summary>
public sealed class ProtoFileMissingException(string file, string importedAt, IReadOnlyList<string> searched)
    : ToolkitException($"{file} (imported at {importedAt}) is in none of {string.Join(", ", searched)}; pass --tensorflow-dir=DIR (a root holding tensorflow/core/...) or a complete --serving-dir")
{
    public string File { get; } = file;
}
