using ServingBuild.Stubs;

namespace ServingBuild.Tests.Stubs;

/// <summary>A failed client build names the compiler's error, not MSBuild's closing "Time Elapsed" line.</summary>
public class StubsFailureCauseTests
{
    [Fact]
    public void The_first_compiler_error_is_the_cause()
    {
        var output = """
              Determining projects to restore...
            /tmp/odd dir/protos/predict.proto(3,1): error : Import "model.proto" was not found or had errors. [/work/src/TensorFlowServing.Client/TensorFlowServing.Client.csproj]
            /tmp/odd dir/protos/predict.proto(9,3): error : "ModelSpec" is not defined. [/work/src/TensorFlowServing.Client/TensorFlowServing.Client.csproj]

            Build FAILED.
                0 Warning(s)
                2 Error(s)

            Time Elapsed 00:00:03.21
            """.Split('\n');

        var cause = StubsStage.FailureCause(output);

        Assert.StartsWith("/tmp/odd dir/protos/predict.proto(3,1): error : Import \"model.proto\"", cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_error_line_the_last_line_before_the_summary_is_the_cause()
    {
        var output = new[] { "Unhandled: MSBUILD : error MSB1009: Project file does not exist.", "", "Time Elapsed 00:00:00.10" };

        Assert.Equal("Unhandled: MSBUILD : error MSB1009: Project file does not exist.", StubsStage.FailureCause(output));
    }
}
