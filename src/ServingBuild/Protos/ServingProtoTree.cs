using ServingBuild.BazelBuild;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Protos;

/// <summary>
/// Where the inputs are: the serving tree, TensorFlow's proto root (given, or found in the submodule layout,
/// the in-tree layout, or Bazel's external @org_tensorflow) and the include folders protoc searches, in order.
/// </summary>
public sealed class ServingProtoTree
{
    public const string ServiceProto = "tensorflow_serving/apis/prediction_service.proto";

    /// <summary>ModelService (GetModelStatus, HandleReloadConfigRequest): in 1.x and 2.x trees, not in 0.5.x.</summary>
    public const string ModelServiceProto = "tensorflow_serving/apis/model_service.proto";
    private const string TensorProto = "tensorflow/core/framework/tensor.proto";

    public ServingProtoTree(string servingDir, string tensorflowRoot, string wellKnownTypes)
    {
        ServingDir = Path.GetFullPath(servingDir);
        TensorflowRoot = Path.GetFullPath(tensorflowRoot);
        WellKnownTypes = wellKnownTypes;
        var roots = new List<string> { ServingDir };
        // Newer TensorFlow protos import xla/... and tsl/... from third_party inside the TensorFlow tree.
        foreach (var r in new[] { TensorflowRoot, Path.Combine(TensorflowRoot, "third_party", "xla"), Path.Combine(TensorflowRoot, "third_party", "xla", "third_party", "tsl") })
        {
            if (Directory.Exists(r) && !roots.Contains(r))
            {
                roots.Add(r);
            }
        }

        // Found in Bazel's external/: XLA and TSL protos live in sibling repositories (local_xla, local_tsl).
        var parent = Path.GetDirectoryName(TensorflowRoot);
        if (parent is not null && Path.GetFileName(parent) == "external")
        {
            foreach (var sibling in new[] { "local_xla", "local_tsl", "xla", "tsl" })
            {
                var r = Path.Combine(parent, sibling);
                if (Directory.Exists(r) && !roots.Contains(r))
                {
                    roots.Add(r);
                }
            }
        }

        IncludeRoots = roots;
    }

    public string ServingDir { get; }

    public string TensorflowRoot { get; }

    public string WellKnownTypes { get; }

    /// <summary>Searched in this order (as protoc does), before the well-known types.</summary>
    public IReadOnlyList<string> IncludeRoots { get; }

    /// <summary>The include root a proto name resolves to, as protoc would resolve it; null if none.</summary>
    public string? RootOf(string name)
    {
        foreach (var root in IncludeRoots.Append(WellKnownTypes))
        {
            if (File.Exists(Path.Combine(root, name)))
            {
                return root;
            }
        }

        return null;
    }

    public string Locate(string name) => RootOf(name) is { } root ? Path.Combine(root, name) : name;

    public bool IsWellKnown(string name) => RootOf(name) == WellKnownTypes;

    /// <summary>Checks the serving tree and finds TensorFlow's protos; one-line errors for each way it can fail.</summary>
    public static async Task<ServingProtoTree> OpenAsync(string servingDir, string? tensorflowDir, string? bazel, string wellKnownTypes,
        ProcessRunner runner, CancellationToken cancellationToken, string? cacheDir = null)
    {
        if (!File.Exists(Path.Combine(servingDir, ServiceProto)))
        {
            throw new ServiceProtoNotFoundException(servingDir);
        }

        var root = await FindTensorflowAsync(servingDir, tensorflowDir, bazel, runner, cancellationToken, cacheDir).ConfigureAwait(false);
        return new ServingProtoTree(servingDir, root, wellKnownTypes);
    }

    public static async Task<string> FindTensorflowAsync(string servingDir, string? tensorflowDir, string? bazel, ProcessRunner runner, CancellationToken cancellationToken, string? cacheDir = null)
    {
        var looked = new List<string>();
        bool Holds(string root)
        {
            looked.Add(Path.Combine(root, "tensorflow", "core", "framework"));
            return File.Exists(Path.Combine(root, TensorProto));
        }

        if (tensorflowDir is not null)
        {
            var full = Path.GetFullPath(tensorflowDir);
            if (Holds(full))
            {
                return full;
            }

            // Also accept the framework folder itself, or a TensorFlow checkout's parent-less root named tensorflow.
            var up3 = Path.GetFullPath(Path.Combine(full, "..", "..", ".."));
            if (File.Exists(Path.Combine(full, "tensor.proto")) && File.Exists(Path.Combine(up3, TensorProto)))
            {
                return up3;
            }

            throw new TensorflowProtosNotFoundException(looked);
        }

        // Up to 1.x: the tensorflow submodule (serving/tensorflow/tensorflow/core/...).
        if (Holds(Path.Combine(servingDir, "tensorflow")))
        {
            return Path.GetFullPath(Path.Combine(servingDir, "tensorflow"));
        }

        // TensorFlow's protos in the serving tree itself (the miniature workspace's layout).
        if (Holds(servingDir))
        {
            return Path.GetFullPath(servingDir);
        }

        // Later: Bazel's external @org_tensorflow, only when a build exists (no Bazel server started for nothing).
        var bazelOut = Path.Combine(servingDir, "bazel-out");
        if (Directory.Exists(bazelOut))
        {
            // bazel-out -> <output_base>/execroot/<workspace>/bazel-out: the link names the output base without asking Bazel.
            var target = new DirectoryInfo(bazelOut).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is not null)
            {
                var outputBase = Path.GetFullPath(Path.Combine(target, "..", "..", ".."));
                var external = Path.Combine(outputBase, "external", "org_tensorflow");
                if (Holds(external))
                {
                    return external;
                }
            }

            // The Bazel that built the tree: the same locator as BazelBuild, so `bazel info` reads the same output base.
            var program = bazel ?? "bazel";
            try
            {
                program = BazelLocator.Locate(bazel, BazelLocator.ProcessEnvironment(), PinnedOrNull(servingDir), cacheDir).Path;
                var info = await runner.RunAsync(new ProcessSpec(program, "info", "output_base") { WorkingDirectory = servingDir, Timeout = TimeSpan.FromMinutes(3) },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                var outputBase = info.Succeeded ? info.StandardOutput.Trim().Split('\n').LastOrDefault()?.Trim() : null;
                if (!string.IsNullOrEmpty(outputBase) && Holds(Path.Combine(outputBase, "external", "org_tensorflow")))
                {
                    return Path.Combine(outputBase, "external", "org_tensorflow");
                }

                if (string.IsNullOrEmpty(outputBase))
                {
                    looked.Add($"`{program} info output_base` (failed: exit {info.ExitCode})");
                }
            }
            catch (ProgramNotFoundException)
            {
                looked.Add($"`{program} info output_base` ({program} not found)");
            }
        }
        else
        {
            looked.Add($"Bazel's @org_tensorflow (no {bazelOut}: build first)");
        }

        throw new TensorflowProtosNotFoundException(looked);
    }

    private static string? PinnedOrNull(string servingDir)
    {
        try
        {
            return WantedBazelVersion.Read(servingDir)?.Version;
        }
        catch (BazelVersionFileException)
        {
            // An unreadable pin is BazelBuild's to report; here it only narrows the search.
            return null;
        }
    }
}
