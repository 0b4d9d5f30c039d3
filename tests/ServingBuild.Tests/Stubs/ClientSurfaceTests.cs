using ServingBuild.Stubs;

namespace ServingBuild.Tests.Stubs;

public sealed class ClientSurfaceTests
{
    [Fact]
    public void The_stripped_client_has_Predict_and_PredictAsync_only()
    {
        var surface = ClientSurface.Read(SiblingOutput.Dll("TensorFlowServing.Client"));
        Assert.Contains("Predict", surface.MethodNames);
        Assert.Contains("PredictAsync", surface.MethodNames);
        Assert.Equal(["Predict"], surface.Rpcs);
        surface.Check(["Predict"]);
    }

    [Fact]
    public void A_client_from_the_full_protos_is_rejected_naming_the_RPCs_that_should_be_stripped()
    {
        // HalfPlusTwoServer generates both sides from the unstripped serving-mini protos (PredictionService and ModelService).
        var surface = ClientSurface.Read(SiblingOutput.Dll("HalfPlusTwoServer"));
        var ex = Assert.Throws<ClientSurfaceException>(() => surface.Check(["Predict"]));
        Assert.Contains("still has Classify, GetModelMetadata, GetModelStatus, HandleReloadConfigRequest, MultiInference, Regress, which should have been stripped", ex.Message);
        surface.Check(["Classify", "Regress", "Predict", "MultiInference", "GetModelMetadata", "GetModelStatus", "HandleReloadConfigRequest"]);
    }

    [Fact]
    public void A_kept_RPC_the_client_lacks_is_named()
    {
        var surface = ClientSurface.Read(SiblingOutput.Dll("TensorFlowServing.Client"));
        var ex = Assert.Throws<ClientSurfaceException>(() => surface.Check(["Predict", "Classify"]));
        Assert.Contains("lacks Classify, ClassifyAsync", ex.Message);
    }

    [Fact]
    public void An_assembly_without_the_service_is_refused() =>
        Assert.Throws<ClientSurfaceException>(() => ClientSurface.Read(typeof(StubsStage).Assembly.Location));
}
