namespace ServingBuild.HostScripts;

/// <summary>
/// The manifest written beside artifacts/bin/tensorflow_model_server: its keys in order (camelCase, 2-space indent)
/// and the CentOS 7 limits its centos7Compatible flag is judged against. The host script's writer is generated
/// from these, so the bash path writes the same schema as the C# BazelBuild export.
/// </summary>
public static class ExportedServerManifest
{
    public const int Schema = 1;

    public const string BinaryName = "tensorflow_model_server";

    public const string FileName = BinaryName + ".manifest.json";

    /// <summary>Folder under artifacts/ the binary and manifest go to.</summary>
    public const string Folder = "bin";

    /// <summary>CentOS 7's glibc and libstdc++: a binary needing more does not start there.</summary>
    public const string CentOs7Glibc = "2.17";

    public const string CentOs7Glibcxx = "3.4.19";

    public static readonly IReadOnlyList<string> Keys =
    [
        "schema", "binary", "sha256", "size", "bazelVersion", "bazelOptions", "servingCommit", "servingVersion", "glibc", "glibcxx",
        "centos7Compatible",
    ];
}
