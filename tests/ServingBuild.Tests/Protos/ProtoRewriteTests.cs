using Google.Protobuf.Reflection;
using ServingBuild.Protos;
using Location = Google.Protobuf.Reflection.SourceCodeInfo.Types.Location;

namespace ServingBuild.Tests.Protos;

/// <summary>Cuts at the spans protoc would report, given here by hand: no protoc, so each case is exact and fast.</summary>
public sealed class ProtoRewriteTests
{
    private const string Text = """
        syntax = "proto3";

        package demo;

        import "tensorflow_serving/apis/classification.proto";
        import "tensorflow_serving/apis/predict.proto";

        service PredictionService {
          // Classifies.
          rpc Classify(A) returns (B);

          // Predicts.
          rpc Predict(C) returns (D);
        }

        """;

    private static Location At(int[] path, int[] span, string? leading = null)
    {
        var location = new Location();
        location.Path.AddRange(path);
        location.Span.AddRange(span);
        if (leading is not null)
        {
            location.LeadingComments = leading;
        }

        return location;
    }

    private static FileDescriptorProto File()
    {
        var file = new FileDescriptorProto { Name = "prediction_service.proto", Dependency = { "tensorflow_serving/apis/classification.proto", "tensorflow_serving/apis/predict.proto" } };
        file.SourceCodeInfo = new SourceCodeInfo
        {
            Location =
            {
                At([3, 0], [4, 0, 54]),
                At([3, 1], [5, 0, 47]),
                At([6, 0], [7, 0, 13, 1]),
                At([6, 0, 1], [7, 8, 25]),
                At([6, 0, 2, 0], [9, 2, 30], " Classifies.\n"),
                At([6, 0, 2, 1], [12, 2, 29], " Predicts.\n"),
            },
        };
        return file;
    }

    [Fact]
    public void Removes_an_rpc_with_its_comment_and_an_import_and_renames_the_kept_import()
    {
        var result = ProtoRewrite.Apply(Text, File(), [(0, 0)], [0], new Dictionary<string, string> { ["tensorflow_serving/apis/predict.proto"] = "predict.proto" });

        Assert.Equal("""
            syntax = "proto3";

            package demo;

            import "predict.proto";

            service PredictionService {
              // Predicts.
              rpc Predict(C) returns (D);
            }

            """, result);
    }

    [Fact]
    public void Nothing_to_remove_or_rename_leaves_the_text_byte_for_byte()
    {
        Assert.Equal(Text, ProtoRewrite.Apply(Text, File(), [], [], new Dictionary<string, string>()));
    }

    [Fact]
    public void Removing_the_last_rpc_keeps_the_first_and_its_comment()
    {
        var result = ProtoRewrite.Apply(Text, File(), [(0, 1)], [1], new Dictionary<string, string>());

        Assert.Contains("  // Classifies.\n  rpc Classify(A) returns (B);\n}\n", result, StringComparison.Ordinal);
        Assert.DoesNotContain("rpc Predict", result, StringComparison.Ordinal);
        Assert.DoesNotContain("// Predicts.", result, StringComparison.Ordinal);
        Assert.DoesNotContain("predict.proto", result, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_parsed_without_source_info_is_refused()
    {
        var bare = new FileDescriptorProto { Name = "x.proto" };
        var ex = Assert.Throws<InvalidOperationException>(() => ProtoRewrite.Apply(Text, bare, [(0, 0)], [], new Dictionary<string, string>()));
        Assert.Equal("x.proto was parsed without source info", ex.Message);
    }
}
