using Google.Protobuf;
using Tensorflow.Serving;

namespace ServingBuild.Verifier;

/// <summary>
/// --request and --expect: a PredictRequest and a PredictResponse in protobuf's JSON form, read with
/// Google.Protobuf's JsonParser (field names as in the .proto or in lowerCamelCase, enums by name, 64-bit
/// integers and bytes as strings). Each way a file can be wrong is one line naming the file and the fix.
/// </summary>
internal static class RequestFiles
{
    // Unknown fields are errors: a misspelt "inputs" must not turn into an empty request that "passes".
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>The request, with what the command line names filled in where the file names nothing.</summary>
    public static PredictRequest ReadRequest(VerifierSettings settings)
    {
        var file = settings.RequestFile ?? throw new InvalidOperationException("no --request");
        var request = Read<PredictRequest>(file, "request", "PredictRequest",
            """{"model_spec": {"name": "half_plus_two"}, "inputs": {"x": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "3"}]}, "float_val": [1, 2, 5]}}}""");
        if (request.Inputs.Count == 0)
        {
            throw new RequestFileException($"--request={file}: the PredictRequest has no inputs; add \"inputs\": {{\"<input name>\": {{\"dtype\": ..., \"tensor_shape\": ..., \"float_val\": [...]}}}}");
        }

        request.ModelSpec ??= new ModelSpec();
        var spec = request.ModelSpec;
        if (spec.Name.Length == 0)
        {
            spec.Name = settings.ModelName;
        }
        else if (spec.Name != settings.ModelName)
        {
            throw new RequestFileException($"--request={file}: model_spec.name is \"{spec.Name}\" but Verify serves and checks '{settings.ModelName}'; pass --model-name={spec.Name} or drop model_spec.name from the file");
        }

        if (settings.ModelVersion is { } version && spec.VersionChoiceCase == ModelSpec.VersionChoiceOneofCase.None)
        {
            spec.Version = version;
        }

        if (settings.SignatureName is { } signature && spec.SignatureName.Length == 0)
        {
            spec.SignatureName = signature;
        }

        return request;
    }

    public static PredictResponse ReadExpected(string file)
    {
        var expected = Read<PredictResponse>(file, "expect", "PredictResponse",
            """{"outputs": {"y": {"dtype": "DT_FLOAT", "float_val": [2.5, 3, 4.5]}}}""");
        if (expected.Outputs.Count == 0)
        {
            throw new RequestFileException($"--expect={file}: the PredictResponse has no outputs to compare; add \"outputs\": {{\"<output name>\": {{\"dtype\": ..., \"float_val\": [...]}}}}");
        }

        return expected;
    }

    private static T Read<T>(string file, string option, string typeName, string example)
        where T : IMessage<T>, new()
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RequestFileException($"--{option}={file}: cannot be read ({ex.Message})");
        }

        try
        {
            return Parser.Parse<T>(text);
        }
        catch (InvalidJsonException ex)
        {
            throw new RequestFileException($"--{option}={file}: not JSON ({OneLine(ex.Message)}); write a {typeName} in protobuf JSON, e.g. {example}");
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RequestFileException($"--{option}={file}: JSON, but not a {typeName} ({OneLine(ex.Message)}); e.g. {example}");
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
