using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh;

/// <summary>
/// One SSH channel seen from the server: a duplex byte stream with flow control in both directions
/// (RFC 4254 §5.2). Writes wait for the client's window; reads return 0 once the client sent EOF or
/// the channel closed. One reader and any number of writers may use it at a time.
/// </summary>
public sealed class SshChannel : Transport.IClosableChannel
{
    private readonly Connection.ChannelMultiplexer _multiplexer;
    private readonly Pipe _inbound = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly CancellationTokenSource _closed;
    private readonly object _windowLock = new();
    private readonly uint _windowSize;
    private long _peerWindow;
    private TaskCompletionSource? _peerWindowGrew;
    private long _localWindow;
    private long _consumedSinceAdjust;
    private int _closeSent;
    private int _eofSent;
    private bool _eofReceived;
    private volatile bool _aborted;

    internal SshChannel(Connection.ChannelMultiplexer multiplexer, uint localId, string channelType, uint remoteId, uint peerWindow, uint peerMaxPacket, uint windowSize)
    {
        _multiplexer = multiplexer;
        LocalId = localId;
        ChannelType = channelType;
        RemoteId = remoteId;
        _peerWindow = peerWindow;
        PeerMaxPacket = peerMaxPacket;
        _windowSize = windowSize;
        _localWindow = windowSize;
        // Not linked to the connection token: the multiplexer aborts every open channel when the connection
        // ends, and a linked source would leave one registration per channel ever opened on that token.
        _closed = new CancellationTokenSource();
    }

    /// <summary>"session", "direct-tcpip", or "forwarded-tcpip" (opened by this side).</summary>
    public string ChannelType { get; }

    public uint LocalId { get; }

    public SshConnectionInfo Connection => _multiplexer.ConnectionInfo;

    /// <summary>Cancelled when the channel closes from either side or the connection ends.</summary>
    public CancellationToken Closed => _closed.Token;

    internal uint RemoteId { get; private set; }

    internal uint PeerMaxPacket { get; private set; }

    /// <summary>A channel this side opened learns the client's id, window and packet size when the client confirms it.</summary>
    internal void Confirm(uint remoteId, uint peerWindow, uint peerMaxPacket)
    {
        lock (_windowLock)
        {
            (RemoteId, _peerWindow, PeerMaxPacket) = (remoteId, peerWindow, peerMaxPacket);
        }
    }

    internal bool RemoteClosed { get; private set; }

    /// <summary>Reads data the client sent; returns 0 at end of stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadResult result;
        try
        {
            result = await _inbound.Reader.ReadAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
        var available = result.Buffer;
        if (available.IsEmpty && result.IsCompleted)
        {
            _inbound.Reader.AdvanceTo(available.End);
            return 0;
        }
        var count = (int)Math.Min(available.Length, buffer.Length);
        available.Slice(0, count).CopyTo(buffer.Span);
        _inbound.Reader.AdvanceTo(available.GetPosition(count));
        await ConsumedAsync(count, cancellationToken);
        return count;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => SendAsync(data, false, cancellationToken);

    /// <summary>Writes to the client's stderr (extended data type 1).</summary>
    public ValueTask WriteErrorAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => SendAsync(data, true, cancellationToken);

    /// <summary>Tells the client no more data will come from this side.</summary>
    public async ValueTask SendEofAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _closeSent) != 0 || Interlocked.Exchange(ref _eofSent, 1) != 0) return;
        await _multiplexer.SendChannelMessageAsync(SshMessage.ChannelEof, this, cancellationToken);
    }

    /// <summary>Reports the command's exit status, then sends EOF and closes the channel.</summary>
    public async ValueTask ExitAsync(int exitStatus, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _closeSent) != 0) return;
        using var request = ChannelRequest("exit-status");
        request.WriteUInt32((uint)exitStatus);
        await _multiplexer.SendOnChannelAsync(this, request.WrittenMemory, cancellationToken);
        await SendEofAsync(cancellationToken);
        await CloseAsync(cancellationToken);
    }

    /// <summary>Reports that the command was killed by a signal (name without "SIG"), then closes.</summary>
    public async ValueTask ExitWithSignalAsync(string signal, bool coreDumped, string message, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _closeSent) != 0) return;
        using var request = ChannelRequest("exit-signal");
        request.WriteString(signal);
        request.WriteBoolean(coreDumped);
        request.WriteString(message);
        request.WriteString("");
        await _multiplexer.SendOnChannelAsync(this, request.WrittenMemory, cancellationToken);
        await SendEofAsync(cancellationToken);
        await CloseAsync(cancellationToken);
    }

    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) != 0) return;
        _ = _closed.CancelAsync();
        WakeWriters();
        try
        {
            await _multiplexer.SendChannelMessageAsync(SshMessage.ChannelClose, this, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The connection is going away; nothing left to close.
        }
    }

    /// <summary>A <see cref="Stream"/> over the channel: reads the client's data, writes to its stdout.</summary>
    public Stream AsStream() => new SshChannelStream(this);

    private SshWriter ChannelRequest(string type)
    {
        var writer = new SshWriter(SshMessage.ChannelRequest);
        writer.WriteUInt32(RemoteId);
        writer.WriteString(type);
        writer.WriteBoolean(false);
        return writer;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> data, bool stderr, CancellationToken cancellationToken)
    {
        var maxChunk = (int)Math.Min(PeerMaxPacket, (uint)_multiplexer.MaxDataPerPacket);
        while (!data.IsEmpty)
        {
            if (Volatile.Read(ref _eofSent) != 0 || Volatile.Read(ref _closeSent) != 0 || RemoteClosed || _aborted) throw new IOException("channel is closed for writing");
            var granted = await ReserveWindowAsync(Math.Min(data.Length, maxChunk), cancellationToken);
            await _multiplexer.SendDataAsync(this, data[..granted], stderr, cancellationToken);
            data = data[granted..];
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReserveWindowAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task waitFor;
            lock (_windowLock)
            {
                if (RemoteClosed || _closeSent != 0 || _aborted) throw new IOException("channel is closed");
                if (_peerWindow > 0)
                {
                    var granted = (int)Math.Min(wanted, _peerWindow);
                    _peerWindow -= granted;
                    return granted;
                }
                _peerWindowGrew ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waitFor = _peerWindowGrew.Task;
            }
            await waitFor.WaitAsync(cancellationToken);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ConsumedAsync(int count, CancellationToken cancellationToken)
    {
        uint adjust = 0;
        lock (_windowLock)
        {
            _consumedSinceAdjust += count;
            if (_consumedSinceAdjust >= _windowSize / 2 && _closeSent == 0 && !RemoteClosed)
            {
                adjust = (uint)_consumedSinceAdjust;
                _consumedSinceAdjust = 0;
                _localWindow += adjust;
            }
        }
        if (adjust > 0) await _multiplexer.SendWindowAdjustAsync(this, adjust, cancellationToken);
    }

    private void WakeWriters()
    {
        TaskCompletionSource? waiters;
        lock (_windowLock)
        {
            waiters = _peerWindowGrew;
            _peerWindowGrew = null;
        }
        waiters?.TrySetResult();
    }

    internal void OnWindowAdjust(uint bytes)
    {
        lock (_windowLock)
        {
            _peerWindow += bytes;
            if (_peerWindow > uint.MaxValue) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "channel window exceeds 2^32-1");
        }
        WakeWriters();
    }

    /// <summary>Queues data the client sent; called by the read loop only.</summary>
    internal void OnData(ReadOnlySpan<byte> data)
    {
        lock (_windowLock)
        {
            if (data.Length > _localWindow) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "client overran the channel window");
            _localWindow -= data.Length;
        }
        if (_eofReceived) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "channel data after EOF");
        if (Volatile.Read(ref _closeSent) != 0) return;
        _inbound.Writer.Write(data);
        _ = _inbound.Writer.FlushAsync();
    }

    /// <summary>Data the handler will never read (extended data from the client) still returns window.</summary>
    internal void OnDiscardedData(int length)
    {
        lock (_windowLock)
        {
            if (length > _localWindow) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "client overran the channel window");
            _localWindow -= length;
        }
        _ = ConsumedAsync(length, Closed).AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    internal void OnEof()
    {
        _eofReceived = true;
        _inbound.Writer.Complete();
    }

    /// <summary>The client closed the channel; returns true when our CLOSE still has to be sent.</summary>
    internal bool OnRemoteClose()
    {
        lock (_windowLock) RemoteClosed = true;
        Abort();
        return Interlocked.Exchange(ref _closeSent, 1) == 0;
    }

    internal void Abort()
    {
        _aborted = true;
        _inbound.Writer.Complete();
        WakeWriters();
        _ = _closed.CancelAsync();
    }

    internal bool CloseSent => Volatile.Read(ref _closeSent) != 0;

    bool Transport.IClosableChannel.CloseSent => CloseSent;

    uint Transport.IClosableChannel.RemoteId => RemoteId;

    private sealed class SshChannelStream(SshChannel channel) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => channel.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            channel.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => channel.ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => channel.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            channel.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => channel.WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
