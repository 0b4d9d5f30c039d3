using Tensorflow.Serving;

namespace TensorFlowServing.Client.Tests;

public sealed class PredictRequestBuilderTests
{
    [Fact]
    public void Builds_model_signature_inputs_and_output_filter()
    {
        var request = new PredictRequestBuilder("half_plus_two")
            .Signature("serving_default")
            .Input("x", Tensor.FromFloats([1, 2, 5], [3]))
            .Input("mask", Tensor.FromBools([true, false, true], [3]))
            .Output("y", "y", "z")
            .Build();

        Assert.Equal("half_plus_two", request.ModelSpec.Name);
        Assert.Equal("serving_default", request.ModelSpec.SignatureName);
        Assert.Equal(ModelSpec.VersionChoiceOneofCase.None, request.ModelSpec.VersionChoiceCase);
        Assert.Equal(["mask", "x"], request.Inputs.Keys.Order());
        Assert.Equal([1f, 2f, 5f], request.Inputs["x"].ToFloats());
        Assert.Equal(["y", "z"], request.OutputFilter);
        Assert.False(request.HasClientId);
    }

    [Fact]
    public void A_version_or_a_label_selects_the_version()
    {
        var byNumber = new PredictRequestBuilder("m").Version(123).Input("x", Tensor.Scalar(1f)).Build();
        Assert.Equal(123, byNumber.ModelSpec.Version);
        Assert.Equal(ModelSpec.VersionChoiceOneofCase.Version, byNumber.ModelSpec.VersionChoiceCase);

        var byLabel = new PredictRequestBuilder("m").VersionLabel("stable").Input("x", Tensor.Scalar(1f)).Build();
        Assert.Equal("stable", byLabel.ModelSpec.VersionLabel);
        Assert.Equal(ModelSpec.VersionChoiceOneofCase.VersionLabel, byLabel.ModelSpec.VersionChoiceCase);
    }

    [Fact]
    public void Version_and_label_together_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new PredictRequestBuilder("m").Version(1).VersionLabel("stable"));
        Assert.Throws<InvalidOperationException>(() => new PredictRequestBuilder("m").VersionLabel("stable").Version(1));
    }

    [Fact]
    public void Bad_requests_are_refused_with_the_fix()
    {
        Assert.Throws<ArgumentException>(() => new PredictRequestBuilder(" "));
        var dup = Assert.Throws<ArgumentException>(() => new PredictRequestBuilder("m").Input("x", Tensor.Scalar(1f)).Input("x", Tensor.Scalar(2f)));
        Assert.Contains("input 'x' is already set", dup.Message);
        var empty = Assert.Throws<InvalidOperationException>(() => new PredictRequestBuilder("m").Build());
        Assert.Contains("has no inputs", empty.Message);
    }

    [Fact]
    public void Client_id_is_set_when_given()
    {
        var request = new PredictRequestBuilder("m").Input("x", Tensor.Scalar(1f)).ClientId("me"u8).Build();
        Assert.True(request.HasClientId);
        Assert.Equal("me", request.ClientId.ToStringUtf8());
    }
}
