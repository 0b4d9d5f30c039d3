using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Tensorflow;
using TensorFlowServing.Client;

// Medians over many runs after a warm-up; each line: what, median time, GB/s of float data (4,000,000 bytes).
const int Elements = 1_000_000;
const int Runs = 61;
var bytes = Elements * sizeof(float);
var values = new float[Elements];
for (var i = 0; i < values.Length; i++)
{
    values[i] = i * 0.001f;
}

var shape = new long[] { 1000, 1000 };
var content = Tensor.FromFloats(values, shape);
var typed = Tensor.FromFloats(values, shape, TensorEncoding.TypedValues);
var contentWire = content.ToByteArray();
var typedWire = typed.ToByteArray();

Console.WriteLine($"1,000,000-element float tensor ({bytes:N0} bytes), median of {Runs} runs, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}");
Measure("float[] -> TensorProto (tensor_content)", () => Tensor.FromFloats(values, shape));
Measure("TensorProto (tensor_content) -> float[]", () => content.ToFloats());
Measure("float[] -> TensorProto -> wire bytes", () => Tensor.FromFloats(values, shape).ToByteArray());
Measure("wire bytes -> TensorProto -> float[]", () => TensorProto.Parser.ParseFrom(contentWire).ToFloats());
Measure("float[] -> TensorProto (float_val), for comparison", () => Tensor.FromFloats(values, shape, TensorEncoding.TypedValues));
Measure("TensorProto (float_val) -> float[], for comparison", () => typed.ToFloats());
Measure("wire bytes (float_val) -> float[], for comparison", () => TensorProto.Parser.ParseFrom(typedWire).ToFloats());

void Measure(string what, Func<object> action)
{
    for (var i = 0; i < 5; i++)
    {
        GC.KeepAlive(action());
    }

    var samples = new double[Runs];
    for (var i = 0; i < Runs; i++)
    {
        var start = Stopwatch.GetTimestamp();
        GC.KeepAlive(action());
        samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    Array.Sort(samples);
    var median = samples[Runs / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-52} {median * 1000,8:0.000} ms  {bytes / median / 1e9,7:0.00} GB/s"));
}
