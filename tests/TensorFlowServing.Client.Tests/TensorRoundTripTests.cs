using Google.Protobuf;
using Tensorflow;

namespace TensorFlowServing.Client.Tests;

public sealed class TensorRoundTripTests
{
    public static TheoryData<TensorEncoding> Encodings => new() { TensorEncoding.Content, TensorEncoding.TypedValues };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Floats_round_trip_with_their_shape(TensorEncoding encoding)
    {
        float[] values = [1.5f, -2f, float.MaxValue, float.Epsilon, 0f, float.NaN];
        var tensor = Tensor.FromFloats(values, [2, 3], encoding);

        Assert.Equal(DataType.DtFloat, tensor.Dtype);
        Assert.Equal([2L, 3L], tensor.Shape());
        Assert.Equal(encoding == TensorEncoding.Content, !tensor.TensorContent.IsEmpty);
        Assert.Equal(encoding == TensorEncoding.TypedValues ? 6 : 0, tensor.FloatVal.Count);
        Assert.Equal(values, TensorProto.Parser.ParseFrom(tensor.ToByteArray()).ToFloats());
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_numeric_dtype_round_trips(TensorEncoding encoding)
    {
        Assert.Equal([1.25, -1e300, double.MinValue], RoundTrip(Tensor.FromDoubles([1.25, -1e300, double.MinValue], [3], encoding)).ToDoubles());
        Assert.Equal([int.MinValue, 0, int.MaxValue], RoundTrip(Tensor.FromInt32s([int.MinValue, 0, int.MaxValue], [3, 1], encoding)).ToInt32s());
        Assert.Equal([long.MinValue, 7, long.MaxValue, -1], RoundTrip(Tensor.FromInt64s([long.MinValue, 7, long.MaxValue, -1], [2, 2], encoding)).ToInt64s());
        Assert.Equal([true, false, true], RoundTrip(Tensor.FromBools([true, false, true], [1, 3], encoding)).ToBools());
        Assert.Equal(DataType.DtDouble, Tensor.FromDoubles([1], [1], encoding).Dtype);
        Assert.Equal(DataType.DtInt32, Tensor.FromInt32s([1], [1], encoding).Dtype);
        Assert.Equal(DataType.DtInt64, Tensor.FromInt64s([1], [1], encoding).Dtype);
        Assert.Equal(DataType.DtBool, Tensor.FromBools([true], [1], encoding).Dtype);
    }

    [Fact]
    public void Tensor_content_is_little_endian_as_tensorflow_writes_it()
    {
        var tensor = Tensor.FromInt32s([0x01020304], [1]);
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, tensor.TensorContent.ToByteArray());
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3f }, Tensor.FromFloats([1f], [1]).TensorContent.ToByteArray());
    }

    [Fact]
    public void Strings_and_bytes_round_trip_through_string_val()
    {
        var text = Tensor.FromStrings(["héllo", "", "世界"], [3]);
        Assert.Equal(DataType.DtString, text.Dtype);
        Assert.Equal(3, text.StringVal.Count);
        Assert.True(text.TensorContent.IsEmpty);
        Assert.Equal(["héllo", "", "世界"], RoundTrip(text).ToStrings());

        byte[][] blobs = [[0, 255, 7], []];
        Assert.Equal(blobs, RoundTrip(Tensor.FromBytes(blobs, [2, 1])).ToBytes());
    }

    [Fact]
    public void A_million_floats_round_trip_through_tensor_content()
    {
        var values = new float[1_000_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.25f - 1000f;
        }

        var tensor = RoundTrip(Tensor.FromFloats(values, [1000, 1000]));
        Assert.Equal(4_000_000, tensor.TensorContent.Length);
        Assert.Equal(values, tensor.ToFloats());
    }

    [Fact]
    public void Wrapped_arrays_are_read_in_place_and_round_trip_through_the_wire()
    {
        var values = new float[] { 1f, 2f, 5f, -0.5f };
        var tensor = Tensor.WrapFloats(values, [2, 2]);

        Assert.Equal(16, tensor.TensorContent.Length);
        values[0] = 9f; // no copy was taken: the message sees the caller's memory
        Assert.Equal([9f, 2f, 5f, -0.5f], tensor.ToFloats());
        Assert.Equal([9f, 2f, 5f, -0.5f], RoundTrip(tensor).ToFloats());
        Assert.Equal(Tensor.FromFloats(values, [2, 2]).ToByteArray(), tensor.ToByteArray());

        Assert.Equal([1.5, -2.25], RoundTrip(Tensor.WrapDoubles(new[] { 1.5, -2.25 }, [2])).ToDoubles());
        Assert.Equal([7, -8], RoundTrip(Tensor.WrapInt32s(new[] { 7, -8 }, [2])).ToInt32s());
        Assert.Equal([long.MaxValue], RoundTrip(Tensor.WrapInt64s(new[] { long.MaxValue }, [])).ToInt64s());
        Assert.Throws<ArgumentException>(() => Tensor.WrapFloats(values, [3]));
    }

    [Fact]
    public void A_wrapped_slice_can_be_pinned_at_an_offset()
    {
        var values = new int[] { 1, 2, 3, 4 };
        var tensor = Tensor.WrapInt32s(values.AsMemory(1, 2), [2]);
        Assert.Equal([2, 3], tensor.ToInt32s());
        unsafe
        {
            using var pin = tensor.TensorContent.Memory.Pin();
            Assert.Equal(2, *(int*)pin.Pointer);
            using var second = tensor.TensorContent.Memory.Slice(4).Pin();
            Assert.Equal(3, *(int*)second.Pointer);
        }
    }

    [Fact]
    public void Scalars_have_an_empty_shape_and_one_value()
    {
        var f = RoundTrip(Tensor.Scalar(2.5f));
        Assert.Empty(f.TensorShape.Dim);
        Assert.Empty(f.Shape());
        Assert.Equal(1, f.ElementCount());
        Assert.Equal([2.5f], f.ToFloats());
        Assert.Equal([2.5], RoundTrip(Tensor.Scalar(2.5)).ToDoubles());
        Assert.Equal([-3], RoundTrip(Tensor.Scalar(-3)).ToInt32s());
        Assert.Equal([1L << 40], RoundTrip(Tensor.Scalar(1L << 40)).ToInt64s());
        Assert.Equal([true], RoundTrip(Tensor.Scalar(true)).ToBools());
        Assert.Equal(["s"], RoundTrip(Tensor.Scalar("s")).ToStrings());
    }

    [Fact]
    public void Empty_tensors_round_trip()
    {
        var tensor = RoundTrip(Tensor.FromFloats([], [0, 4]));
        Assert.Equal([0L, 4L], tensor.Shape());
        Assert.Empty(tensor.ToFloats());
    }

    [Fact]
    public void A_single_typed_value_is_repeated_to_fill_the_shape()
    {
        var tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = Shape(2, 2) };
        tensor.FloatVal.Add(7f);
        Assert.Equal([7f, 7f, 7f, 7f], tensor.ToFloats());

        var ints = new TensorProto { Dtype = DataType.DtInt64, TensorShape = Shape(3) };
        ints.Int64Val.Add([1, 2]);
        Assert.Equal([1L, 2L, 2L], ints.ToInt64s());

        var strings = new TensorProto { Dtype = DataType.DtString, TensorShape = Shape(3) };
        strings.StringVal.Add(ByteString.CopyFromUtf8("a"));
        Assert.Equal(["a", "a", "a"], strings.ToStrings());
    }

    [Fact]
    public void No_values_at_all_read_as_zeros()
    {
        var tensor = new TensorProto { Dtype = DataType.DtInt32, TensorShape = Shape(3) };
        Assert.Equal([0, 0, 0], tensor.ToInt32s());
    }

    [Fact]
    public void Values_that_do_not_fill_the_shape_are_refused_when_building()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromFloats([1f, 2f, 3f], [2, 2]));
        Assert.Contains("3 value(s) do not fill shape [2, 2], which holds 4", ex.Message);
        Assert.Throws<ArgumentException>(() => Tensor.FromFloats([1f], [-1]));
        Assert.Throws<ArgumentException>(() => Tensor.FromStrings(["a", "b"], []));
        Assert.Throws<ArgumentException>(() => Tensor.FromInt64s([], []));
    }

    [Fact]
    public void Reading_the_wrong_dtype_names_both_dtypes()
    {
        var ex = Assert.Throws<TensorMismatchException>(() => Tensor.FromInt32s([1, 2], [2]).ToFloats());
        Assert.Equal("tensor DT_INT32 [2] cannot be read as DT_FLOAT; read it with the reader for DT_INT32", ex.Message);
        Assert.Throws<TensorMismatchException>(() => Tensor.FromStrings(["a"], [1]).ToInt64s());
        Assert.Throws<TensorMismatchException>(() => Tensor.FromFloats([1f], [1]).ToStrings());
    }

    [Fact]
    public void Tensor_content_that_does_not_match_the_shape_is_refused()
    {
        var tensor = Tensor.FromFloats([1f, 2f, 3f], [3]);
        tensor.TensorShape = Shape(4);
        var ex = Assert.Throws<TensorMismatchException>(() => tensor.ToFloats());
        Assert.Contains("12 bytes of tensor_content but its shape needs 4 x 4 = 16", ex.Message);

        var ragged = new TensorProto { Dtype = DataType.DtDouble, TensorShape = Shape(1), TensorContent = ByteString.CopyFrom(new byte[7]) };
        Assert.Throws<TensorMismatchException>(() => ragged.ToDoubles());
    }

    [Fact]
    public void More_typed_values_than_the_shape_holds_are_refused()
    {
        var tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = Shape(2) };
        tensor.FloatVal.Add([1f, 2f, 3f]);
        var ex = Assert.Throws<TensorMismatchException>(() => tensor.ToFloats());
        Assert.Contains("has 3 value(s) but its shape holds 2", ex.Message);
    }

    [Fact]
    public void Unknown_dimensions_and_ranks_cannot_be_read()
    {
        Assert.Throws<TensorMismatchException>(() => new TensorProto { Dtype = DataType.DtFloat, TensorShape = Shape(-1) }.ToFloats());
        Assert.Throws<TensorMismatchException>(() => new TensorProto { Dtype = DataType.DtFloat, TensorShape = new TensorShapeProto { UnknownRank = true } }.ToFloats());
    }

    [Fact]
    public void String_tensors_with_tensor_content_are_refused()
    {
        var tensor = new TensorProto { Dtype = DataType.DtString, TensorShape = Shape(1), TensorContent = ByteString.CopyFromUtf8("abcd") };
        Assert.Throws<TensorMismatchException>(() => tensor.ToStrings());
    }

    private static TensorProto RoundTrip(TensorProto tensor) => TensorProto.Parser.ParseFrom(tensor.ToByteArray());

    private static TensorShapeProto Shape(params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        }

        return shape;
    }
}
