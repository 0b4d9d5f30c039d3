using ServingBuild.BazelBuild;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

public sealed class ServerManifestTests
{
    private static ServerManifest Sample => new()
    {
        Binary = "tensorflow_model_server",
        Sha256 = new string('a', 64),
        Size = 953272,
        BazelVersion = "7.4.1",
        BazelOptions = ["--config=release", "--copt=-O2+x<y>'z'"],
        ServingCommit = null,
        ServingVersion = "2.20.0",
        Glibc = "2.34",
        Glibcxx = null,
        CentOs7Compatible = false,
    };

    [Fact]
    public void Is_written_with_the_fixed_keys_in_order_two_space_indent_nulls_and_one_final_newline()
    {
        const string expected = """
            {
              "schema": 1,
              "binary": "tensorflow_model_server",
              "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              "size": 953272,
              "bazelVersion": "7.4.1",
              "bazelOptions": [
                "--config=release",
                "--copt=-O2+x<y>'z'"
              ],
              "servingCommit": null,
              "servingVersion": "2.20.0",
              "glibc": "2.34",
              "glibcxx": null,
              "centos7Compatible": false
            }

            """;
        Assert.Equal(expected.Replace("\r\n", "\n"), Sample.ToJson());
    }

    [Fact]
    public void An_empty_option_list_is_written_as_an_empty_array()
    {
        Assert.Contains("\"bazelOptions\": [],\n", (Sample with { BazelOptions = [] }).ToJson());
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        using var dir = new TempDir("manifest");
        var path = dir.Combine("tensorflow_model_server.manifest.json");
        Sample.WriteTo(path);

        var read = ServerManifest.ReadFrom(path);

        Assert.Equal(Sample.ToJson(), read.ToJson());
        Assert.Equal(Sample.BazelOptions, read.BazelOptions);
    }

    [Fact]
    public void A_file_that_is_not_a_manifest_is_refused_in_one_line_naming_it()
    {
        using var dir = new TempDir("manifest");
        var path = dir.Write("m.json", "{\"schema\": 1, \"binary\": \"x\", \"sha256\": \"short\"}");

        var ex = Assert.Throws<ToolkitException>(() => ServerManifest.ReadFrom(path));

        Assert.Contains(path, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("2.17", null, true)]
    [InlineData("2.17", "3.4.19", true)]
    [InlineData("2.2.5", "3.4.18", true)]
    [InlineData(null, null, true)]
    [InlineData("2.18", null, false)]
    [InlineData("2.17", "3.4.20", false)]
    [InlineData("2.34", "3.4.30", false)]
    public void Runs_on_CentOS_7_only_up_to_GLIBC_2_17_and_GLIBCXX_3_4_19(string? glibc, string? glibcxx, bool expected)
    {
        Assert.Equal(expected, ServerManifest.RunsOnCentOs7(glibc is null ? null : Version.Parse(glibc), glibcxx is null ? null : Version.Parse(glibcxx)));
    }

    [Theory]
    [InlineData("GLIBC_2.34", "GLIBC_", "2.34")]
    [InlineData("GLIBC_2.2.5", "GLIBC_", "2.2.5")]
    [InlineData("GLIBCXX_3.4.30", "GLIBCXX_", "3.4.30")]
    [InlineData("GLIBC_PRIVATE", "GLIBC_", null)]
    [InlineData("GLIBCXX_3.4", "GLIBC_", null)]
    [InlineData("CXXABI_1.3.9", "GLIBCXX_", null)]
    public void Symbol_version_names_parse_to_versions_only_for_their_own_prefix(string name, string prefix, string? expected)
    {
        Assert.Equal(expected, ElfImage.ParseVersion(name, prefix)?.ToString());
    }

    [Fact]
    public void Options_that_only_say_where_results_go_are_left_out_of_the_manifest()
    {
        var options = ServingBuild.Options.OptionsParser.Parse(
            ["--bazel-opt=--copt=-O3", "--bazel-opt=--remote_header=Authorization=Bearer secret", "--bazel-opt=--bes_backend=grpc://x"], TestPaths.Toolkit);
        var env = new Dictionary<string, string?> { ["TF_SERVING_BAZEL_OPTIONS"] = "--host_jvm_args=-Xmx2g" };

        Assert.Equal(["--host_jvm_args=-Xmx2g", "--config=release", "--copt=-O3"], BazelInvocation.OptionsShapingTheBinary(options, env));
    }
}
