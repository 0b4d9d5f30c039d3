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

Console.WriteLine($"1,000,000-element float tensor ({bytes:N0} bytes), medians of {Runs} runs, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}");
Measure("float[] -> TensorProto (tensor_content)", () => Tensor.FromFloats(values, shape));
Measure("TensorProto (tensor_content) -> float[]", () => content.ToFloats());
Measure("float[] -> TensorProto, wrapped (no copy)", () => Tensor.WrapFloats(values, shape));
Measure("float[] -> TensorProto (wrapped) -> wire bytes", () => Tensor.WrapFloats(values, shape).ToByteArray());
Measure("float[] -> TensorProto -> wire bytes", () => Tensor.FromFloats(values, shape).ToByteArray());
Measure("wire bytes -> TensorProto -> float[]", () => TensorProto.Parser.ParseFrom(contentWire).ToFloats());
Measure("float[] -> TensorProto (float_val), for comparison", () => Tensor.FromFloats(values, shape, TensorEncoding.TypedValues));
Measure("TensorProto (float_val) -> float[], for comparison", () => typed.ToFloats());
Measure("wire bytes (float_val) -> float[], for comparison", () => TensorProto.Parser.ParseFrom(typedWire).ToFloats());

// Two medians per line: allocations left to the GC as a real caller would (a 4 MB array per run is a
// large-object allocation, so some runs pay for a full collection), and with a collection forced before each
// run outside the timing (the operation itself).
void Measure(string what, Func<object> action)
{
    for (var i = 0; i < 5; i++)
    {
        GC.KeepAlive(action());
    }

    var median = Median(action, collectFirst: false);
    var quiet = Median(action, collectFirst: true);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what,-50} {median * 1000,8:0.000} ms {bytes / median / 1e9,8:0.00} GB/s | GC outside timing {quiet * 1000,7:0.000} ms {bytes / quiet / 1e9,8:0.00} GB/s"));
}

static double Median(Func<object> action, bool collectFirst)
{
    var samples = new double[Runs];
    for (var i = 0; i < Runs; i++)
    {
        if (collectFirst)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var start = Stopwatch.GetTimestamp();
        GC.KeepAlive(action());
        samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    Array.Sort(samples);
    return samples[Runs / 2];
}
