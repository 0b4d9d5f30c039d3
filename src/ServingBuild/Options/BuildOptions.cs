namespace ServingBuild.Options;

/// <summary>
/// Every option of every task, parsed once from the command line by <see cref="OptionsParser"/>.
/// Paths are absolute. Defaults point at the bundled miniature serving workspace and protos/.
/// </summary>
public sealed record BuildOptions
{
    /// <summary>The TensorFlow Serving source tree (the folder holding WORKSPACE).</summary>
    public required string ServingDir { get; init; }

    /// <summary>True when --serving-dir was not given and the bundled tests/serving-mini is used.</summary>
    public bool ServingDirIsBundled { get; init; }

    /// <summary>A root holding tensorflow/core/framework/*.proto; null: find it in the serving tree or Bazel's @org_tensorflow.</summary>
    public string? TensorflowDir { get; init; }

    public required string ProtosOut { get; init; }

    public IReadOnlyList<string> KeepRpcs { get; init; } = ["Predict"];

    public ProtoLayout ProtoLayout { get; init; } = ProtoLayout.Flat;

    /// <summary>Let every breaking upstream change through (it is still reported): --accept-breaking alone.</summary>
    public bool AcceptBreaking { get; init; }

    /// <summary>--accept-breaking=RULE,...: let changes under these buf rule IDs through, and only those.</summary>
    public IReadOnlyList<string> AcceptBreakingRules { get; init; } = [];

    /// <summary>--breaking: the buf category whose rules stop the Protos stage (WIRE or WIRE_JSON).</summary>
    public string Breaking { get; init; } = "WIRE";

    /// <summary>--against=REF: report the drift between the serving tree and the same files at this git ref; write nothing.</summary>
    public string? Against { get; init; }

    /// <summary>Bazel binary from --bazel; null: $BAZEL, then PATH.</summary>
    public string? Bazel { get; init; }

    /// <summary>Extra Bazel build options from --bazel-opt (repeatable), after TF_SERVING_BUILD_OPTIONS.</summary>
    public IReadOnlyList<string> BazelOpts { get; init; } = [];

    /// <summary>Warn instead of failing when the Bazel found is not the version the checkout wants.</summary>
    public bool AllowBazelMismatch { get; init; }

    /// <summary>Download the Bazel release the checkout wants into the tools cache (SHA-256 checked).</summary>
    public bool InstallBazel { get; init; }

    /// <summary>--bazel-mirror=URL: Bazel releases under another base with GitHub's layout (&lt;base&gt;/&lt;v&gt;/&lt;asset&gt;); null: GitHub.</summary>
    public string? BazelMirror { get; init; }

    /// <summary>--remote-cache=URL (http, https or grpc).</summary>
    public string? RemoteCache { get; init; }

    /// <summary>--remote-executor=URL (grpc or grpcs).</summary>
    public string? RemoteExecutor { get; init; }

    /// <summary>--distdir folders for air-gapped builds (repeatable).</summary>
    public IReadOnlyList<string> Distdirs { get; init; } = [];

    /// <summary>--jobs override; null sizes it to the host.</summary>
    public int? Jobs { get; init; }

    /// <summary>Persistent caches (Bazel disk and repository caches, downloaded tools).</summary>
    public required string CacheDir { get; init; }

    /// <summary>--server=host:port: verify a running server instead of starting the built one.</summary>
    public string? Server { get; init; }

    public string ModelName { get; init; } = "half_plus_two";

    /// <summary>--server-binary=PATH: the model server Verify starts; null: artifacts/bin/, else the checkout's bazel-bin.</summary>
    public string? ServerBinary { get; init; }

    /// <summary>--model-base-path=DIR: the model folder (numeric version folders inside) Verify serves; null: the bundled half_plus_two.</summary>
    public string? ModelBasePath { get; init; }

    /// <summary>--model-version=N: the version Verify asks for; null: the server's latest.</summary>
    public long? ModelVersion { get; init; }

    /// <summary>--signature-name=NAME: the signature Verify's requests name; null: the request's own, else serving_default.</summary>
    public string? SignatureName { get; init; }

    /// <summary>--request=FILE: a PredictRequest in protobuf JSON that Verify sends instead of half_plus_two's checks.</summary>
    public string? RequestFile { get; init; }

    /// <summary>--expect=FILE: the expected outputs, a PredictResponse in protobuf JSON.</summary>
    public string? ExpectFile { get; init; }

    /// <summary>--tolerance=X: relative tolerance for floating outputs compared with --expect.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>--build-host=user@host: run host steps there over ssh.</summary>
    public string? BuildHost { get; init; }

    public bool DryRun { get; init; }

    /// <summary>--emit-script=FILE: write the plan as a bash script instead of running it.</summary>
    public string? EmitScript { get; init; }

    /// <summary>Apply the safe fixes for a diagnosed build failure and retry once.</summary>
    public bool AutoFix { get; init; }

    /// <summary>CentOS 7: leave the yum repos alone even when the mirrorlist no longer answers.</summary>
    public bool SkipVault { get; init; }

    /// <summary>Print every line of external programs, not only the concise view.</summary>
    public bool Verbose { get; init; }
}
