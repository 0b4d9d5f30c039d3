namespace ServingBuild.Protos;

/// <summary>protoc could not parse an input proto; the message carries file:line:col as protoc reported it.</summary>
public sealed class ProtoSyntaxException(string location, string problem)
    : ToolkitException($"{location}: {problem} (protoc cannot parse it; fix the file or point --serving-dir at an intact checkout)")
{
    public string Location { get; } = location;
}
