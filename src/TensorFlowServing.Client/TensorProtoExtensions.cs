using System.Runtime.InteropServices;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Tensorflow;

namespace TensorFlowServing.Client;

/// <summary>
/// Reads a <see cref="TensorProto"/> back into an array, the way TensorFlow does: packed little-endian
/// tensor_content when present, otherwise the typed *_val field, where fewer values than the shape holds are
/// completed by repeating the last one (so a single value fills the shape) and no values mean zeros.
/// A dtype other than the one asked for, or values that cannot fill the shape, throw <see cref="TensorMismatchException"/>.
/// </summary>
public static class TensorProtoExtensions
{
    /// <summary>The dimensions; empty for a 0-d scalar.</summary>
    public static long[] Shape(this TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = tensor.TensorShape;
        if (shape is null)
        {
            return [];
        }

        if (shape.UnknownRank)
        {
            throw new TensorMismatchException($"{Describe(tensor)} has an unknown rank; a tensor with values needs a known shape");
        }

        var dims = new long[shape.Dim.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = shape.Dim[i].Size;
            if (dims[i] < 0)
            {
                throw new TensorMismatchException($"{Describe(tensor)} has an unknown dimension {i}; a tensor with values needs every size");
            }
        }

        return dims;
    }

    public static long ElementCount(this TensorProto tensor) => Tensor.ElementCount(tensor.Shape());

    public static float[] ToFloats(this TensorProto tensor) => ReadNumbers(tensor, DataType.DtFloat, tensor.FloatVal);

    public static double[] ToDoubles(this TensorProto tensor) => ReadNumbers(tensor, DataType.DtDouble, tensor.DoubleVal);

    public static int[] ToInt32s(this TensorProto tensor) => ReadNumbers(tensor, DataType.DtInt32, tensor.IntVal);

    public static long[] ToInt64s(this TensorProto tensor) => ReadNumbers(tensor, DataType.DtInt64, tensor.Int64Val);

    public static bool[] ToBools(this TensorProto tensor)
    {
        // tensor_content holds one byte per bool; any non-zero byte is true, as in TensorFlow.
        if (tensor is { Dtype: DataType.DtBool, TensorContent.IsEmpty: false })
        {
            var count = CheckedCount(tensor);
            var content = tensor.TensorContent.Span;
            if (content.Length != count)
            {
                throw ContentMismatch(tensor, content.Length, 1, count);
            }

            var result = new bool[count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = content[i] != 0;
            }

            return result;
        }

        return ReadNumbers(tensor, DataType.DtBool, tensor.BoolVal);
    }

    /// <summary>DT_STRING elements decoded as UTF-8.</summary>
    public static string[] ToStrings(this TensorProto tensor) =>
        Array.ConvertAll(ReadStrings(tensor), b => b.ToStringUtf8());

    /// <summary>DT_STRING elements as raw bytes.</summary>
    public static byte[][] ToBytes(this TensorProto tensor) =>
        Array.ConvertAll(ReadStrings(tensor), b => b.ToByteArray());

    private static ByteString[] ReadStrings(TensorProto tensor)
    {
        RequireDtype(tensor, DataType.DtString);
        var count = CheckedCount(tensor);
        if (!tensor.TensorContent.IsEmpty)
        {
            throw new TensorMismatchException($"{Describe(tensor)} carries tensor_content; string tensors travel in string_val");
        }

        return Fill(tensor, tensor.StringVal, count, ByteString.Empty);
    }

    private static T[] ReadNumbers<T>(TensorProto tensor, DataType dtype, RepeatedField<T> typed)
        where T : unmanaged
    {
        RequireDtype(tensor, dtype);
        var count = CheckedCount(tensor);
        if (tensor.TensorContent.IsEmpty)
        {
            return Fill(tensor, typed, count, default);
        }

        var content = tensor.TensorContent.Span;
        var size = Marshal.SizeOf<T>();
        if (content.Length != (long)count * size)
        {
            throw ContentMismatch(tensor, content.Length, size, count);
        }

        // One copy from the message into a fresh array; no per-element work on little-endian hosts.
        var result = GC.AllocateUninitializedArray<T>(count);
        var target = MemoryMarshal.AsBytes(result.AsSpan());
        content.CopyTo(target);
        if (!BitConverter.IsLittleEndian)
        {
            Tensor.ReverseEach(target, size);
        }

        return result;
    }

    private static T[] Fill<T>(TensorProto tensor, IList<T> values, int count, T zero)
    {
        if (values.Count > count)
        {
            throw new TensorMismatchException(
                $"{Describe(tensor)} has {values.Count} value(s) but its shape holds {count}; fix the shape or send fewer values");
        }

        var result = new T[count];
        if (values.Count == 0)
        {
            Array.Fill(result, zero);
            return result;
        }

        values.CopyTo(result, 0);
        if (values.Count < count)
        {
            Array.Fill(result, values[^1], values.Count, count - values.Count);
        }

        return result;
    }

    private static void RequireDtype(TensorProto tensor, DataType wanted)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Dtype != wanted)
        {
            throw new TensorMismatchException($"{Describe(tensor)} cannot be read as {Name(wanted)}; read it with the reader for {Name(tensor.Dtype)}");
        }
    }

    private static int CheckedCount(TensorProto tensor)
    {
        var count = tensor.ElementCount();
        if (count > Array.MaxLength)
        {
            throw new TensorMismatchException($"{Describe(tensor)} holds {count} elements, more than one .NET array can");
        }

        return (int)count;
    }

    private static TensorMismatchException ContentMismatch(TensorProto tensor, int bytes, int size, long count) =>
        new($"{Describe(tensor)} has {bytes} bytes of tensor_content but its shape needs {count} x {size} = {count * size}; fix the shape or the content");

    internal static string Describe(TensorProto tensor)
    {
        var dims = tensor.TensorShape is null ? "" : string.Join(", ", tensor.TensorShape.Dim.Select(d => d.Size));
        return $"tensor {Name(tensor.Dtype)} [{dims}]";
    }

    // DT_FLOAT rather than DtFloat: the name users see in TensorFlow's errors and docs.
    private static string Name(DataType dtype) =>
        TypesReflection.Descriptor.EnumTypes.First(e => e.Name == "DataType").FindValueByNumber((int)dtype)?.Name ?? dtype.ToString();
}
