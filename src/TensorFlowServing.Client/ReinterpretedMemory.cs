using System.Buffers;
using System.Runtime.InteropServices;

namespace TensorFlowServing.Client;

/// <summary>
/// A caller's numbers seen as their little-endian bytes without a copy, so a ByteString can wrap them
/// (UnsafeByteOperations.UnsafeWrap needs a ReadOnlyMemory&lt;byte&gt;).
/// </summary>
internal sealed class ReinterpretedMemory<T>(ReadOnlyMemory<T> source) : MemoryManager<byte>
    where T : unmanaged
{
    public override Span<byte> GetSpan() =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(source.Span), source.Length));

    private readonly Lock _gate = new();
    private MemoryHandle _pin;
    private int _pins;

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        lock (_gate)
        {
            if (_pins++ == 0)
            {
                _pin = source.Pin();
            }

            return new MemoryHandle((byte*)_pin.Pointer + elementIndex, default, this);
        }
    }

    public override void Unpin()
    {
        lock (_gate)
        {
            if (--_pins == 0)
            {
                _pin.Dispose();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
    }
}
