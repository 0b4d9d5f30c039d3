namespace ServingBuild.BazelBuild;

/// <summary>Where Bazel leaves tensorflow_model_server in a serving checkout; other stages start it from here.</summary>
public static class ServerBinary
{
    public const string Target = "tensorflow_serving/model_servers:tensorflow_model_server";

    public static readonly string RelativePath = Path.Combine("bazel-bin", "tensorflow_serving", "model_servers", "tensorflow_model_server");

    /// <summary>The binary's absolute path under the checkout's bazel-bin symlink (it may not exist yet).</summary>
    public static string PathFor(string servingDir) => Path.Combine(Path.GetFullPath(servingDir), RelativePath);

    /// <summary>The model the bundled workspace serves (upstream's test model path).</summary>
    public static string HalfPlusTwoModel(string servingDir) =>
        Path.Combine(Path.GetFullPath(servingDir), "tensorflow_serving", "servables", "tensorflow", "testdata", "saved_model_half_plus_two_cpu");
}
