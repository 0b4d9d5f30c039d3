using System.Net;
using System.Net.Sockets;

namespace TensorFlowServing.Client;

/// <summary>
/// The client's connection to the server: a socket left in blocking mode and read by one thread of its own, which
/// runs HTTP/2's frame reader itself. With .NET's default connection every response crosses threads twice on its
/// way in (the socket engine's epoll thread, then a thread-pool thread for the frame reader); measured on a 2-core
/// host that cost about 15% of the calls per second and 10-20 us of each call's latency (README, Benchmarks).
/// Here the kernel wakes the reading thread directly. Writes are plain blocking sends by whoever writes (HTTP/2
/// has one writer per connection). Disposing the stream closes the socket, which ends the reading thread.
/// </summary>
internal sealed class BlockingSocketStream : Stream
{
    // Set on a reading thread: the stream it reads for. Reads called on it take bytes already there at once.
    [ThreadStatic]
    private static BlockingSocketStream? t_readingFor;

    private readonly Socket _socket;
    private readonly object _gate = new();
    private Memory<byte> _pending;
    private TaskCompletionSource<int>? _waiting;
    private Thread? _reader;
    private bool _closed;

    private BlockingSocketStream(Socket socket) => _socket = socket;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>SocketsHttpHandler.ConnectCallback: a blocking-mode socket to the first address that answers.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = true };
            try
            {
                // A blocking connect on a pool thread: one async operation would hand the socket to .NET's socket
                // engine for good. SocketsHttpHandler's ConnectTimeout cancels the token: the wait ends then, and the
                // socket is closed (a connect(2) the kernel is still trying ends with it, or when the kernel gives up).
                var connecting = Task.Run(() => socket.Connect(address, endpoint.Port), CancellationToken.None);
                try
                {
                    await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _ = connecting.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw;
                }

                return new BlockingSocketStream(socket);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                socket.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                last = ex;
            }
        }

        throw new SocketException((int)(last is SocketException { SocketErrorCode: var code } ? code : SocketError.HostNotFound));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (t_readingFor == this && !_closed && _socket.Available > 0)
        {
            return Receive(buffer);
        }

        // Otherwise the reading thread waits for it: once this caller's stack (maybe on that very thread, inside the
        // previous read's continuation) has unwound, it blocks in recv(2), completes the read and runs the
        // continuation. It never blocks beneath a caller that still has work to do before awaiting the read (a TLS
        // handshake hands over to HTTP/2's setup, which starts its reader and then sends its preface).
        var waiting = new TaskCompletionSource<int>();
        if (cancellationToken.CanBeCanceled)
        {
            // A read that is cancelled (SslStream's handshake under ConnectTimeout) closes the connection, as
            // nothing can take back a recv(2) already waiting: the reading thread then sees the socket closed.
            var registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (stream, read) = ((BlockingSocketStream, TaskCompletionSource<int>))state!;
                    if (read.TrySetCanceled(token))
                    {
                        stream.Dispose();
                    }
                },
                (this, waiting));
            _ = waiting.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.FromResult(0);
            }

            _pending = buffer;
            _waiting = waiting;
            if (_reader is null)
            {
                _reader = new Thread(ReadLoop) { IsBackground = true, Name = "serving-read" };
                _reader.Start();
            }
            else
            {
                Monitor.Pulse(_gate);
            }
        }

        return new ValueTask<int>(waiting.Task);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var rest = buffer.Span;
            while (rest.Length > 0)
            {
                rest = rest[_socket.Send(rest)..];
            }

            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return ValueTask.FromException(new IOException($"sending to the server failed: {ex.Message}", ex));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The socket blocks: synchronous callers read and write it directly (a read handed to the reading thread and
    // then waited for would deadlock if the caller were that thread).
    public override int Read(byte[] buffer, int offset, int count) => Receive(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _closed = true;
                Monitor.PulseAll(_gate);
            }

            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed by the peer or by us: nothing left to end.
            }

            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private ValueTask<int> Receive(Memory<byte> buffer)
    {
        try
        {
            return ValueTask.FromResult(_socket.Receive(buffer.Span));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return ValueTask.FromException<int>(new IOException($"reading from the server failed: {ex.Message}", ex));
        }
    }

    private void ReadLoop()
    {
        t_readingFor = this;
        while (true)
        {
            TaskCompletionSource<int> waiting;
            Memory<byte> buffer;
            lock (_gate)
            {
                while (_waiting is null && !_closed)
                {
                    Monitor.Wait(_gate);
                }

                if (_waiting is null)
                {
                    return;
                }

                (waiting, buffer) = (_waiting, _pending);
                (_waiting, _pending) = (null, default);
            }

            // Completing the read runs the frame reader's continuation on this thread, until it awaits something else.
            var read = Receive(buffer);
            if (read.IsCompletedSuccessfully)
            {
                waiting.TrySetResult(read.Result);
            }
            else
            {
                waiting.TrySetException(read.AsTask().Exception!.InnerExceptions);
            }
        }
    }
}
