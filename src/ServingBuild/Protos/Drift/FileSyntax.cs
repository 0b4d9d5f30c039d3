using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>What a file's syntax or edition implies where no feature is set explicitly.</summary>
public static class FileSyntax
{
    public static bool IsProto3(FileDescriptorProto file) => file.Syntax == "proto3";

    public static bool IsEditions(FileDescriptorProto file) => file.Syntax == "editions";

    /// <summary>"proto2" for a file that says nothing, as protoc and buf treat it.</summary>
    public static string Name(FileDescriptorProto file) =>
        file.Syntax.Length == 0 ? "proto2" : file.Syntax == "editions" ? $"editions ({file.Edition})" : file.Syntax;

    /// <summary>json_format of a message or enum: the innermost explicit feature, else the syntax's default.</summary>
    public static FeatureSet.Types.JsonFormat JsonFormat(IEnumerable<FeatureSet> chain, FileDescriptorProto file)
    {
        foreach (var f in chain)
        {
            if (f.HasJsonFormat)
            {
                return f.JsonFormat;
            }
        }

        // proto2 (and editions' legacy defaults) allow JSON on a best-effort basis; proto3 and edition 2023+ allow it.
        return file.Syntax is "" or "proto2" ? FeatureSet.Types.JsonFormat.LegacyBestEffort : FeatureSet.Types.JsonFormat.Allow;
    }
}
