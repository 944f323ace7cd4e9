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
    private const int MaxQueuedGlobalRequests = 32;

    private readonly Dictionary<uint, SshChannel> _channels = [];
    private readonly Dictionary<uint, Channel<QueuedRequest>> _requestQueues = [];
    private readonly Dictionary<uint, TaskCompletionSource> _openingToClient = [];
    private Channel<GlobalRequest>? _globalRequests;
    private uint _nextChannelId;

    private sealed record QueuedRequest(SshSessionRequest? Request, bool WantReply);

    /// <summary>A global request waiting for its answer: <paramref name="Forward"/> for tcpip-forward and cancel-tcpip-forward.</summary>
    private sealed record GlobalRequest(string Name, bool WantReply, SshRemoteForwardRequest? Forward);

    public SshConnectionInfo ConnectionInfo => connectionInfo;

    public int MaxDataPerPacket => Math.Min(transport.MaxOutgoingPayload - 64, 32 * 1024);

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => transport.SendAsync(payload, OrConnectionClosing(cancellationToken));

    public ValueTask SendDataAsync(SshChannel channel, ReadOnlyMemory<byte> data, bool stderr, CancellationToken cancellationToken) =>
        transport.SendChannelDataAsync(channel, data, stderr, OrConnectionClosing(cancellationToken));

    /// <summary>A message on the channel (a request, EOF); dropped once the channel's CLOSE was sent.</summary>
    public ValueTask SendOnChannelAsync(SshChannel channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        transport.SendAsync(payload, OrConnectionClosing(cancellationToken), channel);

    public async ValueTask SendChannelMessageAsync(SshMessage message, SshChannel channel, CancellationToken cancellationToken)
    {
        using var writer = new SshWriter(message, 8);
        writer.WriteUInt32(channel.RemoteId);
        // The CLOSE itself is the one message that goes after the channel's close was decided.
        await transport.SendAsync(writer.WrittenMemory, OrConnectionClosing(cancellationToken), message == SshMessage.ChannelClose ? null : channel);
    }

    private async ValueTask ReplyFromReadLoopAsync(SshMessage message, uint recipient)
    {
        using var writer = new SshWriter(message, 8);
        writer.WriteUInt32(recipient);
        await transport.SendOrQueueAsync(writer.WrittenMemory, connectionClosing);
    }

    public async ValueTask SendWindowAdjustAsync(SshChannel channel, uint bytes, CancellationToken cancellationToken)
    {
        using var writer = new SshWriter(SshMessage.ChannelWindowAdjust, 16);
        writer.WriteUInt32(channel.RemoteId);
        writer.WriteUInt32(bytes);
        await transport.SendAsync(writer.WrittenMemory, OrConnectionClosing(cancellationToken), channel);
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
            case SshMessage.ChannelOpenConfirmation:
                OnOpenConfirmed(payload.Span);
                break;
            case SshMessage.ChannelOpenFailure:
                OnOpenRefused(payload.Span);
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

    /// <summary>
    /// Global requests are answered in the order they came (RFC 4254 §4): one task answers them from a bounded queue, off
    /// the read loop, so a hook that asks elsewhere does not hold up channel data. A client that piles up more than the
    /// queue holds without reading the answers is disconnected.
    /// </summary>
    private ValueTask OnGlobalRequestAsync(ReadOnlyMemory<byte> payload)
    {
        var reader = new SshReader(payload.Span[1..]);
        var name = reader.ReadString();
        var wantReply = reader.ReadBoolean();
        var forward = name is "tcpip-forward" or "cancel-tcpip-forward" ? new SshRemoteForwardRequest(reader.ReadString(), reader.ReadUInt32()) : null;
        if (_globalRequests is null)
        {
            _globalRequests = Channel.CreateBounded<GlobalRequest>(new BoundedChannelOptions(MaxQueuedGlobalRequests) { SingleReader = true });
            _ = AnswerGlobalRequestsAsync(_globalRequests.Reader);
        }

        if (!_globalRequests.Writer.TryWrite(new GlobalRequest(name, wantReply, forward)))
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "too many outstanding global requests");
        }

        return ValueTask.CompletedTask;
    }

    private async Task AnswerGlobalRequestsAsync(ChannelReader<GlobalRequest> requests)
    {
        try
        {
            await foreach (var request in requests.ReadAllAsync(connectionClosing))
            {
                var answer = await AnswerAsync(request);
                if (!request.WantReply)
                {
                    continue;
                }

                using var reply = new SshWriter(answer.Granted ? SshMessage.RequestSuccess : SshMessage.RequestFailure, 8);
                // Only a port the server picked is told back (RFC 4254 §7.1).
                if (answer.Granted && request is { Name: "tcpip-forward", Forward.Port: 0 })
                {
                    reply.WriteUInt32(answer.BoundPort);
                }

                await transport.SendAsync(reply.WrittenMemory, connectionClosing);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<SshRemoteForwardAnswer> AnswerAsync(GlobalRequest request)
    {
        try
        {
            return request switch
            {
                { Name: "tcpip-forward", Forward: { } forward } => await handler.RemoteForwardAsync(forward, new SshForwardedChannels(this), connectionClosing),
                { Name: "cancel-tcpip-forward", Forward: { } forward } => await handler.CancelRemoteForwardAsync(forward, connectionClosing)
                    ? SshRemoteForwardAnswer.Listening(forward.Port)
                    : SshRemoteForwardAnswer.Refused,
                // keepalive@openssh.com and anything else unknown: RFC 4254 §4 says reply failure.
                _ => SshRemoteForwardAnswer.Refused,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Global request {Request} failed for {Connection}", request.Name, connectionInfo);
            return SshRemoteForwardAnswer.Refused;
        }
    }

    /// <summary>Opens a "forwarded-tcpip" channel to the client (RFC 4254 §7.2) and waits for its answer.</summary>
    public async Task<SshChannel> OpenForwardedTcpIpAsync(string connectedAddress, uint connectedPort, string originatorAddress, uint originatorPort,
        CancellationToken cancellationToken)
    {
        SshChannel channel;
        var confirmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_channels)
        {
            if (_channels.Count >= options.MaxChannelsPerConnection)
            {
                throw new SshChannelOpenRefusedException(SshChannelOpenFailure.ResourceShortage, "too many channels");
            }

            channel = new SshChannel(this, _nextChannelId++, "forwarded-tcpip", 0, 0, 0, (uint)options.ChannelWindowSize);
            _channels.Add(channel.LocalId, channel);
            _openingToClient.Add(channel.LocalId, confirmed);
        }

        using (var open = new SshWriter(SshMessage.ChannelOpen, 64))
        {
            open.WriteString("forwarded-tcpip");
            open.WriteUInt32(channel.LocalId);
            open.WriteUInt32((uint)options.ChannelWindowSize);
            open.WriteUInt32((uint)options.ChannelMaxPacketSize);
            open.WriteString(connectedAddress);
            open.WriteUInt32(connectedPort);
            open.WriteString(originatorAddress);
            open.WriteUInt32(originatorPort);
            await transport.SendAsync(open.WrittenMemory, OrConnectionClosing(cancellationToken));
        }

        try
        {
            await confirmed.Task.WaitAsync(OrConnectionClosing(cancellationToken));
            return channel;
        }
        catch (OperationCanceledException) when (!confirmed.Task.IsCompleted)
        {
            // Given up before the client answered: an answer that still comes closes the channel (OnOpenConfirmed).
            confirmed.TrySetCanceled();
            throw;
        }
    }

    private void OnOpenConfirmed(ReadOnlySpan<byte> payload)
    {
        var reader = new SshReader(payload[1..]);
        var localId = reader.ReadUInt32();
        var (remoteId, window, maxPacket) = (reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        var (channel, confirmed) = TakeOpening(localId);
        if (maxPacket < 64)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "channel maximum packet size too small");
        }

        channel.Confirm(remoteId, window, maxPacket);
        if (!confirmed.TrySetResult())
        {
            _ = channel.CloseAsync().AsTask();
        }
    }

    private void OnOpenRefused(ReadOnlySpan<byte> payload)
    {
        var reader = new SshReader(payload[1..]);
        var localId = reader.ReadUInt32();
        var failure = (SshChannelOpenFailure)reader.ReadUInt32();
        var description = reader.ReadString();
        var (_, confirmed) = TakeOpening(localId);
        lock (_channels) _channels.Remove(localId);
        confirmed.TrySetException(new SshChannelOpenRefusedException(failure,
            new string(description.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray())));
    }

    private (SshChannel Channel, TaskCompletionSource Confirmed) TakeOpening(uint localId)
    {
        lock (_channels)
        {
            return _openingToClient.Remove(localId, out var confirmed) && _channels.TryGetValue(localId, out var channel)
                ? (channel, confirmed)
                : throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"answer to a channel open that was not asked for ({localId})");
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
                    await SendChannelMessageAsync(granted ? SshMessage.ChannelSuccess : SshMessage.ChannelFailure, channel, channel.Closed);
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
            foreach (var opening in _openingToClient.Values) opening.TrySetCanceled();
            _openingToClient.Clear();
        }
        _globalRequests?.Writer.TryComplete();
        foreach (var channel in channels) channel.Abort();
    }
}
