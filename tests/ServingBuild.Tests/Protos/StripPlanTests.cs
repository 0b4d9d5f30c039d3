using Google.Protobuf.Reflection;
using ServingBuild.Options;
using ServingBuild.Protos;

namespace ServingBuild.Tests.Protos;

/// <summary>What stripping keeps and cuts, on a small descriptor set written by hand (no protoc).</summary>
public sealed class StripPlanTests
{
    private const string Service = "tensorflow_serving/apis/prediction_service.proto";

    private static FileDescriptorProto File(string name, string package, string[] deps, params string[] messages)
    {
        var file = new FileDescriptorProto { Name = name, Package = package, Syntax = "proto3" };
        file.Dependency.AddRange(deps);
        file.MessageType.AddRange(messages.Select(m => new DescriptorProto { Name = m }));
        return file;
    }

    private static FieldDescriptorProto MessageField(string name, int number, string type) =>
        new() { Name = name, Number = number, Type = FieldDescriptorProto.Types.Type.Message, TypeName = type };

    private static FileDescriptorSet Upstream()
    {
        var tensor = File("tensorflow/core/framework/tensor.proto", "tensorflow", ["google/protobuf/wrappers.proto"], "TensorProto");
        var predict = File("tensorflow_serving/apis/predict.proto", "tensorflow.serving", ["tensorflow/core/framework/tensor.proto"], "PredictRequest", "PredictResponse");
        predict.MessageType[0].Field.Add(MessageField("inputs", 1, ".tensorflow.TensorProto"));
        var classification = File("tensorflow_serving/apis/classification.proto", "tensorflow.serving", ["tensorflow/core/example/example.proto"], "ClassificationRequest", "ClassificationResponse");
        var example = File("tensorflow/core/example/example.proto", "tensorflow", [], "Example");
        var service = File(Service, "tensorflow.serving", ["tensorflow_serving/apis/classification.proto", "tensorflow_serving/apis/predict.proto"]);
        var rpcs = new ServiceDescriptorProto { Name = "PredictionService" };
        rpcs.Method.Add(new MethodDescriptorProto { Name = "Classify", InputType = ".tensorflow.serving.ClassificationRequest", OutputType = ".tensorflow.serving.ClassificationResponse" });
        rpcs.Method.Add(new MethodDescriptorProto { Name = "Predict", InputType = ".tensorflow.serving.PredictRequest", OutputType = ".tensorflow.serving.PredictResponse" });
        service.Service.Add(rpcs);
        var wrappers = File("google/protobuf/wrappers.proto", "google.protobuf", [], "Int64Value");
        return new FileDescriptorSet { File = { wrappers, tensor, predict, example, classification, service } };
    }

    private static bool WellKnown(string name) => name.StartsWith("google/protobuf/", StringComparison.Ordinal);

    [Fact]
    public void Keeping_Predict_cuts_Classify_its_import_and_its_closure_and_flattens_the_apis()
    {
        var plan = StripPlan.Make(Upstream(), Service, ["Predict"], ProtoLayout.Flat, WellKnown);

        Assert.Equal(["Classify", "Predict"], plan.AllRpcs);
        Assert.Equal(["Predict"], plan.Kept);
        Assert.Equal(["Classify"], plan.Removed);
        Assert.Equal([(0, 0)], plan.RemovedMethods);
        Assert.Equal(["tensorflow_serving/apis/classification.proto"], plan.RemovedImports);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [Service] = "prediction_service.proto",
                ["tensorflow_serving/apis/predict.proto"] = "predict.proto",
                ["tensorflow/core/framework/tensor.proto"] = "tensorflow/core/framework/tensor.proto",
            },
            plan.OutputNames);
    }

    [Fact]
    public void Keeping_both_keeps_every_import_and_the_upstream_layout_keeps_paths()
    {
        var plan = StripPlan.Make(Upstream(), Service, ["Predict", "Classify"], ProtoLayout.Upstream, WellKnown);

        Assert.Empty(plan.Removed);
        Assert.Empty(plan.RemovedImports);
        Assert.Contains("tensorflow/core/example/example.proto", plan.OutputNames.Keys);
        Assert.All(plan.OutputNames, kv => Assert.Equal(kv.Key, kv.Value));
        Assert.DoesNotContain("google/protobuf/wrappers.proto", plan.OutputNames.Keys);
    }

    [Fact]
    public void An_unknown_RPC_is_named_with_the_ones_there_are()
    {
        var ex = Assert.Throws<UnknownRpcException>(() => StripPlan.Make(Upstream(), Service, ["Predict", "Explain"], ProtoLayout.Flat, WellKnown));
        Assert.Equal(["Explain"], ex.Unknown);
        Assert.StartsWith($"--keep-rpc=Explain: no such RPC in {Service}; it has Classify, Predict (", ex.Message);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
    }

    [Fact]
    public void Two_files_that_would_flatten_to_one_name_ask_for_the_upstream_layout()
    {
        var set = Upstream();
        set.File.Single(f => f.Name == "tensorflow_serving/apis/predict.proto").Dependency.Add("predict.proto");
        set.File.Add(File("predict.proto", "other", [], "Other"));

        var ex = Assert.Throws<ToolkitException>(() => StripPlan.Make(set, Service, ["Predict"], ProtoLayout.Flat, WellKnown));
        Assert.Contains("both as predict.proto; use --proto-layout=upstream", ex.Message, StringComparison.Ordinal);
    }
}
