using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ServingBuild.Stubs;

/// <summary>
/// The RPCs the built client assembly exposes on Tensorflow.Serving.PredictionService.PredictionServiceClient
/// (and ModelService.ModelServiceClient when protos/ kept a ModelService RPC), and the model status helpers of
/// TensorFlowServing.Client.ServingClient.
/// Read from the assembly's metadata tables (System.Reflection.Metadata, part of .NET): this inspects exactly
/// what users get, needs none of its dependencies (Grpc, Google.Protobuf) to resolve, and neither loads the
/// assembly into the toolkit's process nor locks it. Parsing the generated .cs would check an intermediate
/// file instead of the product.
/// </summary>
public sealed record ClientSurface(string AssemblyPath, IReadOnlySet<string> MethodNames)
{
    private const string Namespace = "Tensorflow.Serving";
    private const string Service = "PredictionService";
    private const string ClientType = "PredictionServiceClient";
    private const string ModelService = "ModelService";
    private const string ModelClientType = "ModelServiceClient";

    /// <summary>What ServingClient wraps GetModelStatus with, when the stubs have it.</summary>
    public static readonly IReadOnlyList<string> ModelStatusHelpers = ["GetModelStatusAsync", "WaitForModelAsync"];

    /// <summary>Public methods of TensorFlowServing.Client.ServingClient (empty when the assembly has none).</summary>
    public IReadOnlySet<string> HelperNames { get; init; } = new HashSet<string>();

    /// <summary>The RPC names: Predict from Predict/PredictAsync, without the generated plumbing.</summary>
    public IReadOnlySet<string> Rpcs => MethodNames
        .Where(m => m != "NewInstance")
        .Select(m => m.EndsWith("Async", StringComparison.Ordinal) ? m[..^"Async".Length] : m)
        .ToHashSet(StringComparer.Ordinal);

    public static ClientSurface Read(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new ClientSurfaceException($"{assemblyPath} does not exist; the client build did not produce it");
        }

        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new ClientSurfaceException($"{assemblyPath} is not a .NET assembly");
        }

        var md = pe.GetMetadataReader();
        var prediction = PublicMethods(md, ClientType, Service, Namespace)
            ?? throw new ClientSurfaceException($"{assemblyPath} has no {Namespace}.{Service}.{ClientType}; protos/ must define service {Service} in package tensorflow.serving (run ./build.sh --target=Protos)");
        var names = prediction.ToHashSet(StringComparer.Ordinal);
        // RPC names are unique across the two services (the Protos stage checks), so one set holds both.
        names.UnionWith(PublicMethods(md, ModelClientType, ModelService, Namespace) ?? []);
        var helpers = PublicMethods(md, "ServingClient", null, "TensorFlowServing.Client") ?? [];
        return new ClientSurface(assemblyPath, names) { HelperNames = helpers.ToHashSet(StringComparer.Ordinal) };
    }

    /// <summary>The public, non-special methods of type <paramref name="name"/> (nested in <paramref name="outer"/> when given); null when there is no such type.</summary>
    private static IEnumerable<string>? PublicMethods(MetadataReader md, string name, string? outer, string ns)
    {
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            if (md.GetString(type.Name) != name)
            {
                continue;
            }

            if (outer is null)
            {
                if (!type.GetDeclaringType().IsNil || md.GetString(type.Namespace) != ns)
                {
                    continue;
                }
            }
            else
            {
                if (type.GetDeclaringType().IsNil)
                {
                    continue;
                }

                var declaring = md.GetTypeDefinition(type.GetDeclaringType());
                if (md.GetString(declaring.Name) != outer || md.GetString(declaring.Namespace) != ns)
                {
                    continue;
                }
            }

            return type.GetMethods()
                .Select(md.GetMethodDefinition)
                .Where(m => (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public && (m.Attributes & MethodAttributes.SpecialName) == 0)
                .Select(m => md.GetString(m.Name))
                .ToList();
        }

        return null;
    }

    /// <summary>Each kept RPC has its blocking and async method; no other RPC is there.</summary>
    public void Check(IReadOnlyCollection<string> keptRpcs)
    {
        var missing = keptRpcs
            .SelectMany(r => new[] { r, r + "Async" })
            .Where(m => !MethodNames.Contains(m))
            .ToList();
        if (missing.Count > 0)
        {
            throw new ClientSurfaceException($"{ClientType} in {AssemblyPath} lacks {string.Join(", ", missing)}; protos/ was stripped of an RPC you keep (--keep-rpc={string.Join(',', keptRpcs)}); run ./build.sh --target=Protos");
        }

        var extra = Rpcs.Where(r => !keptRpcs.Contains(r, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
        {
            throw new ClientSurfaceException($"{ClientType} in {AssemblyPath} still has {string.Join(", ", extra)}, which should have been stripped (--keep-rpc={string.Join(',', keptRpcs)}); run ./build.sh --target=Protos");
        }

        // The helpers come with the stubs; only an assembly that has ServingClient at all is judged on them.
        if (HelperNames.Count > 0 && keptRpcs.Contains("GetModelStatus", StringComparer.Ordinal))
        {
            var helpers = ModelStatusHelpers.Where(h => !HelperNames.Contains(h)).ToList();
            if (helpers.Count > 0)
            {
                throw new ClientSurfaceException($"ServingClient in {AssemblyPath} lacks {string.Join(", ", helpers)} although protos/ keeps GetModelStatus; rebuild with ./build.sh --target=Stubs");
            }
        }
    }
}
