using System.Runtime.InteropServices;
using Google.Protobuf;
using Tensorflow;

namespace TensorFlowServing.Client;

/// <summary>
/// Builds <see cref="TensorProto"/>s from arrays and a shape. The shape's element count must equal the number
/// of values; an empty shape is a 0-d scalar (one value). Numbers go to tensor_content by default.
/// </summary>
public static class Tensor
{
    public static TensorProto FromFloats(ReadOnlySpan<float> values, ReadOnlySpan<long> shape, TensorEncoding encoding = TensorEncoding.Content) =>
        FromNumbers(DataType.DtFloat, values, shape, encoding, static (t, v) => AddAll(t.FloatVal, v));

    public static TensorProto FromDoubles(ReadOnlySpan<double> values, ReadOnlySpan<long> shape, TensorEncoding encoding = TensorEncoding.Content) =>
        FromNumbers(DataType.DtDouble, values, shape, encoding, static (t, v) => AddAll(t.DoubleVal, v));

    public static TensorProto FromInt32s(ReadOnlySpan<int> values, ReadOnlySpan<long> shape, TensorEncoding encoding = TensorEncoding.Content) =>
        FromNumbers(DataType.DtInt32, values, shape, encoding, static (t, v) => AddAll(t.IntVal, v));

    public static TensorProto FromInt64s(ReadOnlySpan<long> values, ReadOnlySpan<long> shape, TensorEncoding encoding = TensorEncoding.Content) =>
        FromNumbers(DataType.DtInt64, values, shape, encoding, static (t, v) => AddAll(t.Int64Val, v));

    public static TensorProto FromBools(ReadOnlySpan<bool> values, ReadOnlySpan<long> shape, TensorEncoding encoding = TensorEncoding.Content) =>
        FromNumbers(DataType.DtBool, values, shape, encoding, static (t, v) => AddAll(t.BoolVal, v));

    /// <summary>
    /// DT_FLOAT whose tensor_content reads the caller's memory directly: no copy until the request is written
    /// to the wire. The caller must not change <paramref name="values"/> while the tensor is in use.
    /// </summary>
    public static TensorProto WrapFloats(ReadOnlyMemory<float> values, ReadOnlySpan<long> shape) => Wrap(DataType.DtFloat, values, shape);

    /// <inheritdoc cref="WrapFloats"/>
    public static TensorProto WrapDoubles(ReadOnlyMemory<double> values, ReadOnlySpan<long> shape) => Wrap(DataType.DtDouble, values, shape);

    /// <inheritdoc cref="WrapFloats"/>
    public static TensorProto WrapInt32s(ReadOnlyMemory<int> values, ReadOnlySpan<long> shape) => Wrap(DataType.DtInt32, values, shape);

    /// <inheritdoc cref="WrapFloats"/>
    public static TensorProto WrapInt64s(ReadOnlyMemory<long> values, ReadOnlySpan<long> shape) => Wrap(DataType.DtInt64, values, shape);

    /// <summary>DT_STRING from text, UTF-8 encoded. Strings always travel in string_val (TensorFlow has no packed form for them).</summary>
    public static TensorProto FromStrings(IReadOnlyList<string> values, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = Start(DataType.DtString, values.Count, shape);
        foreach (var v in values)
        {
            tensor.StringVal.Add(ByteString.CopyFromUtf8(v ?? throw new ArgumentException("a string tensor cannot hold null; use \"\"", nameof(values))));
        }

        return tensor;
    }

    /// <summary>DT_STRING from raw bytes (serialized examples, images).</summary>
    public static TensorProto FromBytes(IReadOnlyList<byte[]> values, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = Start(DataType.DtString, values.Count, shape);
        foreach (var v in values)
        {
            tensor.StringVal.Add(ByteString.CopyFrom(v ?? throw new ArgumentException("a string tensor cannot hold null; use an empty array", nameof(values))));
        }

        return tensor;
    }

    public static TensorProto Scalar(float value) => FromFloats([value], []);

    public static TensorProto Scalar(double value) => FromDoubles([value], []);

    public static TensorProto Scalar(int value) => FromInt32s([value], []);

    public static TensorProto Scalar(long value) => FromInt64s([value], []);

    public static TensorProto Scalar(bool value) => FromBools([value], []);

    public static TensorProto Scalar(string value) => FromStrings([value], []);

    /// <summary>The number of elements a shape holds; an empty shape (a scalar) holds one.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] has a negative dimension; give every dimension's size", nameof(shape));
            }

            count = checked(count * d);
        }

        return count;
    }

    private static TensorProto FromNumbers<T>(DataType dtype, ReadOnlySpan<T> values, ReadOnlySpan<long> shape, TensorEncoding encoding, Action<TensorProto, T[]> addTyped)
        where T : unmanaged
    {
        var tensor = Start(dtype, values.Length, shape);
        if (encoding == TensorEncoding.TypedValues)
        {
            addTyped(tensor, values.ToArray());
        }
        else if (values.Length > 0)
        {
            tensor.TensorContent = LittleEndianBytes(values);
        }

        return tensor;
    }

    private static TensorProto Wrap<T>(DataType dtype, ReadOnlyMemory<T> values, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var tensor = Start(dtype, values.Length, shape);
        if (values.Length > 0)
        {
            // A big-endian host must reorder the bytes, which needs a copy anyway.
            tensor.TensorContent = BitConverter.IsLittleEndian
                ? UnsafeByteOperations.UnsafeWrap(new ReinterpretedMemory<T>(values).Memory)
                : LittleEndianBytes(values.Span);
        }

        return tensor;
    }

    private static TensorProto Start(DataType dtype, int count, ReadOnlySpan<long> shape)
    {
        var expected = ElementCount(shape);
        if (expected != count)
        {
            throw new ArgumentException(
                $"{count} value(s) do not fill shape [{string.Join(", ", shape.ToArray())}], which holds {expected}; pass as many values as the shape holds",
                nameof(shape));
        }

        var tensorShape = new TensorShapeProto();
        foreach (var d in shape)
        {
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        }

        return new TensorProto { Dtype = dtype, TensorShape = tensorShape };
    }

    private static ByteString LittleEndianBytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        // One copy from the caller's memory into a fresh array the message then owns (no zeroing first, no
        // second copy): safe to wrap, since nothing else holds the array.
        var bytes = MemoryMarshal.AsBytes(values);
        var copy = GC.AllocateUninitializedArray<byte>(bytes.Length);
        bytes.CopyTo(copy);
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEach(copy, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }

        return UnsafeByteOperations.UnsafeWrap(copy);
    }

    internal static void ReverseEach(Span<byte> bytes, int size)
    {
        if (size == 1)
        {
            return;
        }

        for (var i = 0; i + size <= bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }

    private static void AddAll<T>(Google.Protobuf.Collections.RepeatedField<T> field, T[] values)
    {
        field.Capacity = values.Length;
        field.AddRange(values);
    }
}
