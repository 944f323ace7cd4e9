using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Ssh.Ciphers;

namespace Gatehouse.Ssh.Transport;

/// <summary>
/// A channel as the send side sees it: once its CLOSE is on its way, nothing else may be sent on it (RFC 4254 §5.3), and the
/// check is made under the send lock so that no message queued before the close can overtake it on the wire.
/// </summary>
internal interface IClosableChannel
{
    /// <summary>The peer's number for the channel, which messages on it carry.</summary>
    uint RemoteId { get; }

    bool CloseSent { get; }
}

/// <summary>
/// The binary packet protocol of RFC 4253 §6 over one byte stream (a TCP socket, or a channel of another SSH connection): framing, padding, encryption,
/// sequence numbers, and a gate that holds back non-key-exchange messages while keys change.
/// Reading is done by one loop; sending is safe from any thread.
/// </summary>
internal sealed class PacketTransport : IDisposable
{
    private const int MaxTagSize = 64;
    private const int InitialReceiveBufferSize = 64 * 1024;
    private const int MaxVersionLineLength = 255;
    private const int MaxPreambleLines = 20;

    private readonly Stream _stream;
    private readonly int _maxPacketSize;
    private byte[] _receiveBuffer;
    private int _receiveStart;
    private int _receiveEnd;
    private PacketCipher _receiveCipher = NoneCipher.Instance;
    private uint _receiveSequence;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _sendBuffer;
    private PacketCipher _sendCipher = NoneCipher.Instance;
    private uint _sendSequence;
    private TaskCompletionSource? _keyChangeGate;
    private readonly List<byte[]> _queuedDuringKeyChange = [];
    private bool _disposed;

    public PacketTransport(Stream stream, int maxPacketSize, int maxOutgoingPayload)
    {
        _stream = stream;
        _maxPacketSize = maxPacketSize;
        // Clients rarely send packets above 32 KiB: start small and grow only for the odd large one.
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialReceiveBufferSize, maxPacketSize + 4 + MaxTagSize));
        _sendBuffer = ArrayPool<byte>.Shared.Rent(maxOutgoingPayload + 256 + MaxTagSize);
        MaxOutgoingPayload = _sendBuffer.Length - 256 - MaxTagSize;
    }

    public int MaxOutgoingPayload { get; }

    /// <summary>Sequence number of the packet most recently returned by <see cref="ReadPacketAsync"/>.</summary>
    public uint LastReceivedSequence { get; private set; }

    public long BytesReceivedSinceKeyChange { get; private set; }

    public long BytesSentSinceKeyChange { get; private set; }

    public long LastActivityTimestamp { get; private set; } = Environment.TickCount64;

    /// <summary>True from sending our KEXINIT until sending our NEWKEYS.</summary>
    public bool IsSendingKeyChange => _keyChangeGate is not null;

    /// <summary>Set when strict key exchange forbids a sequence number wrap (during the initial exchange).</summary>
    public bool ForbidSequenceWrap { get; set; }

    public async Task SendVersionAsync(string version, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(version + "\r\n"), cancellationToken);
    }

    /// <summary>Reads the client's identification string, tolerating a few preamble lines (RFC 4253 §4.2).</summary>
    public async Task<string> ReadVersionAsync(CancellationToken cancellationToken)
    {
        for (var line = 0; line < MaxPreambleLines; line++)
        {
            int newline;
            while ((newline = Array.IndexOf(_receiveBuffer, (byte)'\n', _receiveStart, _receiveEnd - _receiveStart)) < 0)
            {
                if (_receiveEnd - _receiveStart > MaxVersionLineLength) throw BadBanner("identification line too long");
                await FillAsync(_receiveEnd - _receiveStart + 1, cancellationToken);
            }
            var length = newline - _receiveStart;
            if (length > MaxVersionLineLength) throw BadBanner("identification line too long");
            var text = Encoding.ASCII.GetString(_receiveBuffer, _receiveStart, length).TrimEnd('\r');
            _receiveStart = newline + 1;
            if (text.StartsWith("SSH-", StringComparison.Ordinal))
            {
                if (!text.StartsWith("SSH-2.0-", StringComparison.Ordinal) && !text.StartsWith("SSH-1.99-", StringComparison.Ordinal))
                {
                    throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported, "unsupported protocol version");
                }
                if (text.Any(c => c < 0x20 || c > 0x7e)) throw BadBanner("invalid characters in identification");
                return text;
            }
        }
        throw BadBanner("no SSH identification received");
    }

    private static SshProtocolException BadBanner(string message) => new(SshDisconnectReason.ProtocolError, message);

    /// <summary>Returns the next payload; it stays valid until the following call.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken)
    {
        if (_receiveEnd - _receiveStart < 4) await FillAsync(4, cancellationToken);
        var cipher = _receiveCipher;
        var sequence = _receiveSequence;
        var packetLength = cipher.ReadLength(_receiveBuffer.AsSpan(_receiveStart, 4), sequence);
        var aligned = cipher.LengthIsPadded ? packetLength + 4 : packetLength;
        if (packetLength < 8 || packetLength > _maxPacketSize || aligned % cipher.BlockSize != 0)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"bad packet length {packetLength}");
        }
        var total = 4 + (int)packetLength + cipher.TagSize;
        if (_receiveEnd - _receiveStart < total) await FillAsync(total, cancellationToken);

        var packet = _receiveBuffer.AsSpan(_receiveStart, 4 + (int)packetLength);
        cipher.Open(packet, _receiveBuffer.AsSpan(_receiveStart + 4 + (int)packetLength, cipher.TagSize), sequence);
        int paddingLength = packet[4];
        var payloadLength = (int)packetLength - paddingLength - 1;
        if (paddingLength < 4 || payloadLength < 1) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "bad padding");

        var payload = _receiveBuffer.AsMemory(_receiveStart + 5, payloadLength);
        _receiveStart += total;
        LastReceivedSequence = sequence;
        _receiveSequence = sequence + 1;
        if (_receiveSequence == 0 && ForbidSequenceWrap) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "sequence number wrapped during initial key exchange");
        BytesReceivedSinceKeyChange += total;
        LastActivityTimestamp = Environment.TickCount64;
        return payload;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (needed > _receiveBuffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(needed);
            Buffer.BlockCopy(_receiveBuffer, _receiveStart, bigger, 0, _receiveEnd - _receiveStart);
            ArrayPool<byte>.Shared.Return(_receiveBuffer);
            _receiveBuffer = bigger;
            _receiveEnd -= _receiveStart;
            _receiveStart = 0;
        }
        else if (_receiveStart + needed > _receiveBuffer.Length)
        {
            Buffer.BlockCopy(_receiveBuffer, _receiveStart, _receiveBuffer, 0, _receiveEnd - _receiveStart);
            _receiveEnd -= _receiveStart;
            _receiveStart = 0;
        }
        while (_receiveEnd - _receiveStart < needed)
        {
            var read = await _stream.ReadAsync(_receiveBuffer.AsMemory(_receiveEnd), cancellationToken);
            if (read == 0) throw new EndOfStreamException("client closed the connection");
            _receiveEnd += read;
        }
    }

    /// <summary>Sends a message, waiting while a key change is in progress (RFC 4253 §7.1).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, IClosableChannel? channel = null)
    {
        await EnterForApplicationDataAsync(cancellationToken);
        try
        {
            // A message for a channel whose CLOSE went out first would reach a peer that freed (or reused) its number.
            if (channel is { CloseSent: true }) return;
            await WritePacketLockedAsync(payload.Span, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends a message now, or queues it to follow our NEWKEYS when a key change is in progress.
    /// The read loop uses this: it must never wait for the gate, since only it can finish the key change.
    /// </summary>
    public async ValueTask SendOrQueueAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await AcquireSendLockAsync(cancellationToken);
        try
        {
            if (_keyChangeGate is not null)
            {
                _queuedDuringKeyChange.Add(payload.ToArray());
                return;
            }
            await WritePacketLockedAsync(payload.Span, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends SSH_MSG_CHANNEL_DATA / EXTENDED_DATA assembled straight into the send buffer.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendChannelDataAsync(IClosableChannel channel, ReadOnlyMemory<byte> data, bool stderr, CancellationToken cancellationToken)
    {
        await EnterForApplicationDataAsync(cancellationToken);
        try
        {
            if (channel.CloseSent) throw new IOException("channel is closed for writing");
            var header = stderr ? 13 : 9;
            var payload = _sendBuffer.AsSpan(5, header + data.Length);
            payload[0] = (byte)(stderr ? SshMessage.ChannelExtendedData : SshMessage.ChannelData);
            BinaryPrimitives.WriteUInt32BigEndian(payload[1..], channel.RemoteId);
            if (stderr) BinaryPrimitives.WriteUInt32BigEndian(payload[5..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(payload[(header - 4)..], (uint)data.Length);
            data.Span.CopyTo(payload[header..]);
            await SealAndSendLockedAsync(header + data.Length, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Runs a step of the key exchange with exclusive use of the send side, bypassing the gate.</summary>
    public async ValueTask WithSendLockAsync(Func<KeyChangeSender, ValueTask> action, CancellationToken cancellationToken)
    {
        await AcquireSendLockAsync(cancellationToken);
        try
        {
            await action(new KeyChangeSender(this, cancellationToken));
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask AcquireSendLockAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        if (_disposed)
        {
            _sendLock.Release();
            throw new ObjectDisposedException(nameof(PacketTransport));
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask EnterForApplicationDataAsync(CancellationToken cancellationToken)
    {
        await AcquireSendLockAsync(cancellationToken);
        while (_keyChangeGate is { } gate)
        {
            _sendLock.Release();
            await gate.Task.WaitAsync(cancellationToken);
            await AcquireSendLockAsync(cancellationToken);
        }
    }

    private ValueTask WritePacketLockedAsync(ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > MaxOutgoingPayload) throw new InvalidOperationException("payload too large");
        payload.CopyTo(_sendBuffer.AsSpan(5));
        return SealAndSendLockedAsync(payload.Length, cancellationToken);
    }

    /// <summary>
    /// Once a packet is sealed it goes out whole: the caller's token (a channel's close, say) may stop it before that, never
    /// during the write, since a socket write cancelled half way leaves a partial packet that corrupts the connection for
    /// every channel (the client sees "Bad packet length"). A peer that never reads is ended by closing the connection.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SealAndSendLockedAsync(int payloadLength, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var cipher = _sendCipher;
        var block = cipher.BlockSize;
        var unpadded = (cipher.LengthIsPadded ? 5 : 1) + payloadLength;
        var padding = block - unpadded % block;
        if (padding < 4) padding += block;
        var packetLength = 1 + payloadLength + padding;
        BinaryPrimitives.WriteUInt32BigEndian(_sendBuffer, (uint)packetLength);
        _sendBuffer[4] = (byte)padding;
        RandomNumberGenerator.Fill(_sendBuffer.AsSpan(5 + payloadLength, padding));
        var total = 4 + packetLength + cipher.TagSize;
        cipher.Seal(_sendBuffer.AsSpan(0, 4 + packetLength), _sendBuffer.AsSpan(4 + packetLength, cipher.TagSize), _sendSequence);
        _sendSequence++;
        BytesSentSinceKeyChange += total;
        await _stream.WriteAsync(_sendBuffer.AsMemory(0, total), CancellationToken.None);
        LastActivityTimestamp = Environment.TickCount64;
    }

    /// <summary>Installs new receive keys after the peer's NEWKEYS.</summary>
    public void ChangeReceiveCipher(PacketCipher cipher, bool resetSequence)
    {
        var old = _receiveCipher;
        _receiveCipher = cipher;
        if (resetSequence) _receiveSequence = 0;
        BytesReceivedSinceKeyChange = 0;
        old.Dispose();
    }

    /// <summary>The only way to send while the gate is closed: used by the key exchange itself.</summary>
    internal readonly struct KeyChangeSender(PacketTransport transport, CancellationToken cancellationToken)
    {
        public ValueTask SendAsync(ReadOnlySpan<byte> payload) => transport.WritePacketLockedAsync(payload, cancellationToken);

        /// <summary>Closes the gate for application messages; called when our KEXINIT goes out.</summary>
        public void BeginKeyChange() => transport._keyChangeGate ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Switches to new send keys right after our NEWKEYS went out.</summary>
        public void ChangeSendCipher(PacketCipher cipher, bool resetSequence)
        {
            var old = transport._sendCipher;
            transport._sendCipher = cipher;
            if (resetSequence) transport._sendSequence = 0;
            transport.BytesSentSinceKeyChange = 0;
            old.Dispose();
        }

        /// <summary>Sends what the read loop queued meanwhile, then reopens the gate; new send keys are in use.</summary>
        public async ValueTask EndKeyChangeAsync()
        {
            foreach (var queued in transport._queuedDuringKeyChange) await transport.WritePacketLockedAsync(queued, cancellationToken);
            transport._queuedDuringKeyChange.Clear();
            var gate = transport._keyChangeGate;
            transport._keyChangeGate = null;
            gate?.TrySetResult();
        }
    }

    /// <summary>Called once the read loop has ended and the socket is closed.</summary>
    public void Dispose()
    {
        _keyChangeGate?.TrySetCanceled();
        _receiveCipher.Dispose();
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        // A send in flight fails fast on the closed socket; only then may its buffer be reused.
        var idle = _sendLock.Wait(TimeSpan.FromSeconds(5));
        _disposed = true;
        if (!idle) return;
        _sendCipher.Dispose();
        ArrayPool<byte>.Shared.Return(_sendBuffer);
        _sendLock.Release();
    }
}
