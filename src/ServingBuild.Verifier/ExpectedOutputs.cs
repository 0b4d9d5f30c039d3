using System.Globalization;
using Tensorflow;
using Tensorflow.Serving;
using TensorFlowServing.Client;

namespace ServingBuild.Verifier;

/// <summary>
/// Compares a Predict answer with --expect: every expected output must be there with the same dtype, the same
/// shape (when the expectation gives one) and the same values; floating values within a relative tolerance.
/// The first difference is named by output, index and both values.
/// </summary>
internal static class ExpectedOutputs
{
    /// <summary>Null when the answer matches; otherwise what differs first.</summary>
    public static string? FirstDifference(PredictResponse expected, PredictResponse actual, double tolerance)
    {
        foreach (var (name, want) in expected.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!actual.Outputs.TryGetValue(name, out var got))
            {
                return $"no output '{name}' (the answer has {(actual.Outputs.Count == 0 ? "none" : string.Join(", ", actual.Outputs.Keys.Order(StringComparer.Ordinal)))})";
            }

            if (want.Dtype != DataType.DtInvalid && got.Dtype != want.Dtype)
            {
                return $"output '{name}' is {DtypeName(got.Dtype)}, expected {DtypeName(want.Dtype)}";
            }

            if (want.TensorShape is { Dim.Count: > 0 } && !got.Shape().SequenceEqual(want.Shape()))
            {
                return $"output '{name}' has shape [{string.Join(", ", got.Shape())}], expected [{string.Join(", ", want.Shape())}]";
            }

            var difference = got.Dtype switch
            {
                DataType.DtFloat => Numbers(name, got.ToFloats().Select(v => (double)v).ToArray(), want.ToFloats().Select(v => (double)v).ToArray(), tolerance,
                    v => ((float)v).ToString(CultureInfo.InvariantCulture)),
                DataType.DtDouble => Numbers(name, got.ToDoubles(), want.ToDoubles(), tolerance, v => v.ToString(CultureInfo.InvariantCulture)),
                DataType.DtInt32 => Same(name, got.ToInt32s(), want.ToInt32s()),
                DataType.DtInt64 => Same(name, got.ToInt64s(), want.ToInt64s()),
                DataType.DtBool => Same(name, got.ToBools(), want.ToBools()),
                DataType.DtString => Same(name, got.ToStrings(), want.ToStrings()),
                _ => Same(name, [got.ToString()], [want.ToString()]),
            };
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    /// <summary>Equal within a relative tolerance: |got - want| &lt;= tolerance * max(|got|, |want|), so zeros must be exact.</summary>
    private static string? Numbers(string name, double[] got, double[] want, double tolerance, Func<double, string> format)
    {
        if (got.Length != want.Length)
        {
            return $"output '{name}' has {got.Length} values, expected {want.Length}";
        }

        for (var i = 0; i < got.Length; i++)
        {
            var (g, w) = (got[i], want[i]);
            var close = g.Equals(w) || Math.Abs(g - w) <= tolerance * Math.Max(Math.Abs(g), Math.Abs(w));
            if (!close)
            {
                return $"output '{name}'[{i}] is {format(g)}, expected {format(w)} (relative tolerance {tolerance.ToString(CultureInfo.InvariantCulture)})";
            }
        }

        return null;
    }

    private static string? Same<T>(string name, T[] got, T[] want)
    {
        if (got.Length != want.Length)
        {
            return $"output '{name}' has {got.Length} values, expected {want.Length}";
        }

        for (var i = 0; i < got.Length; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(got[i], want[i]))
            {
                return $"output '{name}'[{i}] is {got[i]}, expected {want[i]}";
            }
        }

        return null;
    }

    /// <summary>DT_FLOAT rather than C#'s DtFloat: the name users write in JSON and see in TensorFlow.</summary>
    private static string DtypeName(DataType dtype) =>
        typeof(DataType).GetField(dtype.ToString())?.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? dtype.ToString();
}
