using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ServingBuild.Stubs;

/// <summary>
/// The RPCs the built client assembly exposes on Tensorflow.Serving.PredictionService.PredictionServiceClient.
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
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            if (md.GetString(type.Name) != ClientType || type.GetDeclaringType().IsNil)
            {
                continue;
            }

            var outer = md.GetTypeDefinition(type.GetDeclaringType());
            if (md.GetString(outer.Name) != Service || md.GetString(outer.Namespace) != Namespace)
            {
                continue;
            }

            var names = type.GetMethods()
                .Select(md.GetMethodDefinition)
                .Where(m => (m.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public && (m.Attributes & MethodAttributes.SpecialName) == 0)
                .Select(m => md.GetString(m.Name))
                .ToHashSet(StringComparer.Ordinal);
            return new ClientSurface(assemblyPath, names);
        }

        throw new ClientSurfaceException($"{assemblyPath} has no {Namespace}.{Service}.{ClientType}; protos/ must define service {Service} in package tensorflow.serving (run ./build.sh --target=Protos)");
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
    }
}
