using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Gatehouse.Ssh.Transport;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh.Connection;

/// <summary>The connection protocol of RFC 4254: global requests and the channels of one client.</summary>
internal sealed class ChannelMultiplexer(
    PacketTransport transport,
    SshServerOptions options,
    SshConnectionInfo connectionInfo,
    ISshConnectionHandler handler,
    ILogger logger,
    CancellationToken connectionClosing)
{
    private const int MaxQueuedRequestsPerChannel = 64;
    private const int MaxRemoteForwardRefusalsTold = 16;
    private int _remoteForwardRefusals;

    private readonly Dictionary<uint, SshChannel> _channels = [];
    private readonly Dictionary<uint, Channel<QueuedRequest>> _requestQueues = [];
    private uint _nextChannelId;

    private sealed record QueuedRequest(SshSessionRequest? Request, bool WantReply);

    public SshConnectionInfo ConnectionInfo => connectionInfo;

    public int MaxDataPerPacket => Math.Min(transport.MaxOutgoingPayload - 64, 32 * 1024);

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => transport.SendAsync(payload, OrConnectionClosing(cancellationToken));

    public ValueTask SendDataAsync(uint recipient, ReadOnlyMemory<byte> data, bool stderr, CancellationToken cancellationToken) =>
        transport.SendChannelDataAsync(recipient, data, stderr, OrConnectionClosing(cancellationToken));

    public async ValueTask SendChannelMessageAsync(SshMessage message, uint recipient, CancellationToken cancellationToken)
    {
        using var writer = new SshWriter(message, 8);
        writer.WriteUInt32(recipient);
        await transport.SendAsync(writer.WrittenMemory, OrConnectionClosing(cancellationToken));
    }

    private async ValueTask ReplyFromReadLoopAsync(SshMessage message, uint recipient)
    {
        using var writer = new SshWriter(message, 8);
        writer.WriteUInt32(recipient);
        await transport.SendOrQueueAsync(writer.WrittenMemory, connectionClosing);
    }

    public async ValueTask SendWindowAdjustAsync(uint recipient, uint bytes, CancellationToken cancellationToken)
    {
        using var writer = new SshWriter(SshMessage.ChannelWindowAdjust, 16);
        writer.WriteUInt32(recipient);
        writer.WriteUInt32(bytes);
        await transport.SendAsync(writer.WrittenMemory, OrConnectionClosing(cancellationToken));
    }

    // Callers without a token of their own still stop when the connection closes.
    private CancellationToken OrConnectionClosing(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken : connectionClosing;

    /// <summary>Handles one connection-protocol message from the read loop. Slow hook calls run off the loop.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask HandleAsync(ReadOnlyMemory<byte> payload)
    {
        var message = (SshMessage)payload.Span[0];
        switch (message)
        {
            case SshMessage.GlobalRequest:
                await OnGlobalRequestAsync(payload);
                break;
            case SshMessage.RequestSuccess or SshMessage.RequestFailure:
                break;
            case SshMessage.ChannelOpen:
                await OnChannelOpenAsync(payload);
                break;
            case SshMessage.ChannelWindowAdjust:
            {
                var reader = new SshReader(payload.Span[1..]);
                var channel = Find(reader.ReadUInt32());
                channel.OnWindowAdjust(reader.ReadUInt32());
                break;
            }
            case SshMessage.ChannelData:
            {
                var reader = new SshReader(payload.Span[1..]);
                var channel = Find(reader.ReadUInt32());
                var data = reader.ReadBinary();
                CheckPacketSize(data.Length);
                channel.OnData(data);
                break;
            }
            case SshMessage.ChannelExtendedData:
            {
                var reader = new SshReader(payload.Span[1..]);
                var channel = Find(reader.ReadUInt32());
                reader.ReadUInt32();
                var data = reader.ReadBinary();
                CheckPacketSize(data.Length);
                channel.OnDiscardedData(data.Length);
                break;
            }
            case SshMessage.ChannelEof:
                Find(new SshReader(payload.Span[1..]).ReadUInt32()).OnEof();
                break;
            case SshMessage.ChannelClose:
                await OnChannelCloseAsync(new SshReader(payload.Span[1..]).ReadUInt32());
                break;
            case SshMessage.ChannelRequest:
                await OnChannelRequestAsync(payload);
                break;
            case SshMessage.ChannelSuccess or SshMessage.ChannelFailure:
                Find(new SshReader(payload.Span[1..]).ReadUInt32());
                break;
            default:
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"unexpected connection message {payload.Span[0]}");
        }
    }

    private void CheckPacketSize(int length)
    {
        if (length > options.ChannelMaxPacketSize) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "channel packet larger than advertised maximum");
    }

    private SshChannel Find(uint localId)
    {
        lock (_channels)
        {
            return _channels.TryGetValue(localId, out var channel)
                ? channel
                : throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"unknown channel {localId}");
        }
    }

    private async ValueTask OnGlobalRequestAsync(ReadOnlyMemory<byte> payload)
    {
        var reader = new SshReader(payload.Span[1..]);
        var name = reader.ReadString();
        var wantReply = reader.ReadBoolean();
        var remoteForward = name == "tcpip-forward" ? new SshRemoteForwardRequest(reader.ReadString(), reader.ReadUInt32()) : null;
        logger.LogDebug("Global request {Request} refused", name);
        // keepalive@openssh.com and anything else unknown: RFC 4254 §4 says reply failure.
        if (wantReply) await transport.SendOrQueueAsync(new[] { (byte)SshMessage.RequestFailure }, connectionClosing);
        // Told off the read loop, and only the first few: a client repeating -R requests cannot pile up work here.
        if (remoteForward is { } request && Interlocked.Increment(ref _remoteForwardRefusals) <= MaxRemoteForwardRefusalsTold)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await handler.RemoteForwardingRefusedAsync(request, connectionClosing);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Telling of a refused remote forward failed for {Connection}", connectionInfo);
                }
            });
        }
    }

    private sealed record ChannelOpenRequest(string Type, uint RemoteId, uint PeerWindow, uint PeerMaxPacket, SshDirectTcpIpRequest? Tcp);

    private static ChannelOpenRequest ParseChannelOpen(ReadOnlySpan<byte> payload)
    {
        var reader = new SshReader(payload[1..]);
        var type = reader.ReadString();
        var remoteId = reader.ReadUInt32();
        var peerWindow = reader.ReadUInt32();
        var peerMaxPacket = reader.ReadUInt32();
        var tcp = type == "direct-tcpip"
            ? new SshDirectTcpIpRequest(reader.ReadString(), reader.ReadUInt32(), reader.ReadString(), reader.ReadUInt32())
            : null;
        return new ChannelOpenRequest(type, remoteId, peerWindow, peerMaxPacket, tcp);
    }

    // Refusals are sent from the read loop itself, so a client that floods opens without reading
    // the answers is slowed down by TCP instead of piling up work here.
    private async ValueTask OnChannelOpenAsync(ReadOnlyMemory<byte> payload)
    {
        var open = ParseChannelOpen(payload.Span);
        if (open.Type is not ("session" or "direct-tcpip"))
        {
            await SendOpenFailureAsync(open.RemoteId, SshChannelOpenFailure.UnknownChannelType, "unknown channel type", fromReadLoop: true);
            return;
        }
        if (open.PeerMaxPacket < 64)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "channel maximum packet size too small");
        }

        SshChannel? channel = null;
        lock (_channels)
        {
            if (_channels.Count < options.MaxChannelsPerConnection)
            {
                var localId = _nextChannelId++;
                channel = new SshChannel(this, localId, open.Type, open.RemoteId, open.PeerWindow, open.PeerMaxPacket, (uint)options.ChannelWindowSize);
                _channels.Add(localId, channel);
            }
        }
        if (channel is null)
        {
            await SendOpenFailureAsync(open.RemoteId, SshChannelOpenFailure.ResourceShortage, "too many channels", fromReadLoop: true);
            return;
        }
        _ = OpenAsync(channel, open.Tcp);
    }

    private async Task OpenAsync(SshChannel channel, SshDirectTcpIpRequest? tcpRequest)
    {
        try
        {
            ISshSessionHandler? session = null;
            SshChannelOpening opening;
            if (tcpRequest is null)
            {
                session = await handler.OpenSessionAsync(channel, channel.Closed);
                opening = session is null
                    ? SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, "refused")
                    : SshChannelOpening.Accept(() => Task.CompletedTask);
            }
            else
            {
                opening = await handler.OpenDirectTcpIpAsync(channel, tcpRequest, channel.Closed);
            }

            if (!opening.Accepted)
            {
                lock (_channels) _channels.Remove(channel.LocalId);
                await SendOpenFailureAsync(channel.RemoteId, opening.Failure, opening.Description, fromReadLoop: false);
                return;
            }

            if (session is not null)
            {
                var queue = Channel.CreateBounded<QueuedRequest>(MaxQueuedRequestsPerChannel);
                lock (_channels) _requestQueues[channel.LocalId] = queue;
                _ = ProcessRequestsAsync(channel, session, queue.Reader);
            }

            using var confirmation = new SshWriter(SshMessage.ChannelOpenConfirmation, 32);
            confirmation.WriteUInt32(channel.RemoteId);
            confirmation.WriteUInt32(channel.LocalId);
            confirmation.WriteUInt32((uint)options.ChannelWindowSize);
            confirmation.WriteUInt32((uint)options.ChannelMaxPacketSize);
            await transport.SendAsync(confirmation.WrittenMemory, connectionClosing);
            // Data may flow only once the client knows the channel is open.
            _ = opening.Relay!();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Opening {ChannelType} channel failed for {Connection}", channel.ChannelType, connectionInfo);
            lock (_channels) _channels.Remove(channel.LocalId);
            await SendOpenFailureAsync(channel.RemoteId, SshChannelOpenFailure.AdministrativelyProhibited, "internal error", fromReadLoop: false);
        }
    }

    private async ValueTask SendOpenFailureAsync(uint remoteId, SshChannelOpenFailure reason, string description, bool fromReadLoop)
    {
        try
        {
            using var writer = new SshWriter(SshMessage.ChannelOpenFailure);
            writer.WriteUInt32(remoteId);
            writer.WriteUInt32((uint)reason);
            writer.WriteString(description);
            writer.WriteString("");
            if (fromReadLoop) await transport.SendOrQueueAsync(writer.WrittenMemory, connectionClosing);
            else await transport.SendAsync(writer.WrittenMemory, connectionClosing);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }

    private async ValueTask OnChannelCloseAsync(uint localId)
    {
        var channel = Find(localId);
        var mustReply = channel.OnRemoteClose();
        lock (_channels)
        {
            _channels.Remove(localId);
            if (_requestQueues.Remove(localId, out var queue)) queue.Writer.TryComplete();
        }
        if (mustReply) await ReplyFromReadLoopAsync(SshMessage.ChannelClose, channel.RemoteId);
    }

    private async ValueTask OnChannelRequestAsync(ReadOnlyMemory<byte> payload)
    {
        var (localId, type, wantReply, request) = ParseChannelRequest(payload.Span);
        var channel = Find(localId);
        Channel<QueuedRequest>? queue;
        lock (_channels) _requestQueues.TryGetValue(localId, out queue);
        if (queue is null || request is null)
        {
            logger.LogDebug("Channel request {Request} refused on channel {Channel}", type, localId);
            if (wantReply && !channel.CloseSent) await ReplyFromReadLoopAsync(SshMessage.ChannelFailure, channel.RemoteId);
            return;
        }
        if (!queue.Writer.TryWrite(new QueuedRequest(request, wantReply)))
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "too many outstanding channel requests");
        }
    }

    private static (uint LocalId, string Type, bool WantReply, SshSessionRequest? Request) ParseChannelRequest(ReadOnlySpan<byte> payload)
    {
        var reader = new SshReader(payload[1..]);
        var localId = reader.ReadUInt32();
        var type = reader.ReadString();
        var wantReply = reader.ReadBoolean();
        SshSessionRequest? request = type switch
        {
            "pty-req" => new SshPtyRequest(reader.ReadString(), ReadSize(ref reader), reader.ReadBinary().ToArray()),
            "env" => new SshEnvRequest(reader.ReadString(), reader.ReadString()),
            "shell" => new SshShellRequest(),
            "exec" => new SshExecRequest(reader.ReadString()),
            "subsystem" => new SshSubsystemRequest(reader.ReadString()),
            "window-change" => new SshWindowChangeRequest(ReadSize(ref reader)),
            "signal" => new SshSignalRequest(reader.ReadString()),
            "break" => new SshBreakRequest(reader.ReadUInt32()),
            "auth-agent-req@openssh.com" => new SshAgentForwardingRequest(),
            "x11-req" => new SshX11ForwardingRequest(reader.ReadBoolean(), reader.ReadString(), SkipThen(ref reader)),
            _ => null,
        };
        return (localId, type, wantReply, request);
    }

    // x11-req carries the authentication cookie before the screen number; the cookie is read past, never kept.
    private static uint SkipThen(ref SshReader reader)
    {
        reader.ReadBinary();
        return reader.ReadUInt32();
    }

    private static SshTerminalSize ReadSize(ref SshReader reader) =>
        new(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());

    private async Task ProcessRequestsAsync(SshChannel channel, ISshSessionHandler session, ChannelReader<QueuedRequest> requests)
    {
        try
        {
            await foreach (var queued in requests.ReadAllAsync(channel.Closed))
            {
                bool granted;
                try
                {
                    granted = queued.Request is SshSessionForwardingRequest forwarding
                        ? await handler.SessionForwardingRequestAsync(channel, forwarding, channel.Closed)
                        : await session.HandleRequestAsync(channel, queued.Request!, channel.Closed);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Session request {Request} failed for {Connection}", queued.Request!.GetType().Name, connectionInfo);
                    granted = false;
                }
                if (queued.WantReply && !channel.CloseSent && !channel.RemoteClosed)
                {
                    await SendChannelMessageAsync(granted ? SshMessage.ChannelSuccess : SshMessage.ChannelFailure, channel.RemoteId, channel.Closed);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }

    public void AbortAll()
    {
        List<SshChannel> channels;
        lock (_channels)
        {
            channels = [.. _channels.Values];
            _channels.Clear();
            foreach (var queue in _requestQueues.Values) queue.Writer.TryComplete();
            _requestQueues.Clear();
        }
        foreach (var channel in channels) channel.Abort();
    }
}
