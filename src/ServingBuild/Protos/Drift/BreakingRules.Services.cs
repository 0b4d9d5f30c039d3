namespace ServingBuild.Protos.Drift;

public static partial class BreakingRules
{
    // Source path parts of a MethodDescriptorProto; idempotency_level is field 34 of MethodOptions.
    private const int MethodInput = 2;
    private const int MethodOutput = 3;
    private const int MethodOptions = 4;
    private const int MethodIdempotency = 34;

    private static IEnumerable<DescriptorFinding> RpcSameClientStreaming(DescriptorPairs p) =>
        p.Methods.Where(m => m.Before.ClientStreaming != m.After.ClientStreaming)
            .Select(m => p.Change("RPC_SAME_CLIENT_STREAMING", m.Subject, $"client {Streaming(m.Before.ClientStreaming)} became client {Streaming(m.After.ClientStreaming)}",
                m.BeforeService.File, m.BeforePath(), m.AfterService.File, m.AfterPath()));

    private static IEnumerable<DescriptorFinding> RpcSameServerStreaming(DescriptorPairs p) =>
        p.Methods.Where(m => m.Before.ServerStreaming != m.After.ServerStreaming)
            .Select(m => p.Change("RPC_SAME_SERVER_STREAMING", m.Subject, $"server {Streaming(m.Before.ServerStreaming)} became server {Streaming(m.After.ServerStreaming)}",
                m.BeforeService.File, m.BeforePath(), m.AfterService.File, m.AfterPath()));

    private static IEnumerable<DescriptorFinding> RpcSameRequestType(DescriptorPairs p) =>
        p.Methods.Where(m => m.Before.InputType != m.After.InputType)
            .Select(m => p.Change("RPC_SAME_REQUEST_TYPE", m.Subject, $"request {m.Before.InputType.TrimStart('.')} became {m.After.InputType.TrimStart('.')}",
                m.BeforeService.File, m.BeforePath(MethodInput), m.AfterService.File, m.AfterPath(MethodInput)));

    private static IEnumerable<DescriptorFinding> RpcSameResponseType(DescriptorPairs p) =>
        p.Methods.Where(m => m.Before.OutputType != m.After.OutputType)
            .Select(m => p.Change("RPC_SAME_RESPONSE_TYPE", m.Subject, $"response {m.Before.OutputType.TrimStart('.')} became {m.After.OutputType.TrimStart('.')}",
                m.BeforeService.File, m.BeforePath(MethodOutput), m.AfterService.File, m.AfterPath(MethodOutput)));

    private static IEnumerable<DescriptorFinding> RpcSameIdempotencyLevel(DescriptorPairs p) =>
        p.Methods.Where(m => Idempotency(m.Before) != Idempotency(m.After))
            .Select(m => p.Change("RPC_SAME_IDEMPOTENCY_LEVEL", m.Subject, $"idempotency_level {Idempotency(m.Before)} became {Idempotency(m.After)}",
                m.BeforeService.File, [.. m.BeforePath(MethodOptions), MethodIdempotency], m.AfterService.File, [.. m.AfterPath(MethodOptions), MethodIdempotency]));

    private static IEnumerable<DescriptorFinding> RpcNoDelete(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Services)
        {
            for (var i = 0; i < b.Proto.Method.Count; i++)
            {
                var name = b.Proto.Method[i].Name;
                if (p.MethodInScope(b.FullName, name) && a.Proto.Method.All(m => m.Name != name))
                {
                    yield return p.Change("RPC_NO_DELETE", $"{b.Name}.{name}", "RPC was deleted", b.File, [.. b.Path, 2, i], a.File, a.Path);
                }
            }
        }
    }

    private static IEnumerable<DescriptorFinding> ServiceNoDelete(DescriptorPairs p) =>
        DeletedFromFile(p, "SERVICE_NO_DELETE", "service", side => side.Services.Values.Select(s => (s.FullName, s.File, s.Path)), typesOnly: false);

    private static string Streaming(bool on) => on ? "streaming" : "unary";

    private static string Idempotency(Google.Protobuf.Reflection.MethodDescriptorProto m) =>
        (m.Options?.IdempotencyLevel ?? Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel.IdempotencyUnknown) switch
        {
            Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel.NoSideEffects => "NO_SIDE_EFFECTS",
            Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel.Idempotent => "IDEMPOTENT",
            _ => "IDEMPOTENCY_UNKNOWN",
        };
}
