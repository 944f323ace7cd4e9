using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Gatehouse.Ssh.Authentication;
using Gatehouse.Ssh.Connection;
using Gatehouse.Ssh.HostKeys;
using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.PreAuthentication;
using Gatehouse.Ssh.Transport;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh;

/// <summary>One client connection: the read loop that routes every packet to its protocol layer.</summary>
internal sealed class ClientConnection
{
    private readonly Stream _stream;
    private readonly Action _hangUp;
    private readonly SshServerOptions _options;
    private readonly ISshServerHooks _hooks;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing;
    private readonly PacketTransport _transport;
    private readonly KeyExchangeDriver _keyExchange;
    private readonly string _serverVersion;
    private readonly Func<long, IPAddress, PreAuthRefusal>? _admitKeyExchange;
    private SshConnectionInfo? _info;
    private ISshConnectionHandler? _handler;
    private UserAuthentication? _authentication;
    private ChannelMultiplexer? _channels;
    private string? _abortReason;
    private int _leftPreAuthentication;
    private Timer? _watchdog;

    /// <param name="admitKeyExchange">Asked before each key exchange until the client authenticates (the server's rate per source and subnet).</param>
    public ClientConnection(long id, TimeSpan openedAt, Socket socket, SshServerOptions options, HostKeyStore hostKeys, ISshServerHooks hooks, ILogger logger,
        Func<long, IPAddress, PreAuthRefusal> admitKeyExchange, CancellationToken serverStopping)
        : this(id, openedAt, new NetworkStream(socket, ownsSocket: false), (IPEndPoint)socket.RemoteEndPoint!, (IPEndPoint)socket.LocalEndPoint!,
            () => HangUp(socket), options, hostKeys, hooks, logger, serverStopping, admitKeyExchange)
    {
    }

    /// <summary>
    /// A connection over any byte stream, such as a channel of another SSH connection (ProxyJump): the end points are the
    /// ones its hooks are told, and <paramref name="hangUp"/> closes the stream's far end when the connection ends.
    /// </summary>
    public ClientConnection(long id, TimeSpan openedAt, Stream stream, IPEndPoint remote, IPEndPoint local, Action hangUp, SshServerOptions options,
        HostKeyStore hostKeys, ISshServerHooks hooks, ILogger logger, CancellationToken serverStopping,
        Func<long, IPAddress, PreAuthRefusal>? admitKeyExchange = null)
    {
        _admitKeyExchange = admitKeyExchange;
        Id = id;
        OpenedAt = openedAt;
        _stream = stream;
        _hangUp = hangUp;
        LocalEndPoint = local;
        _options = options;
        _hooks = hooks;
        _logger = logger;
        _closing = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        _serverVersion = "SSH-2.0-" + options.ServerSoftware;
        _transport = new PacketTransport(stream, options.MaxPacketSize, Math.Max(options.ChannelMaxPacketSize, 32 * 1024) + 1024);
        _keyExchange = new KeyExchangeDriver(_transport, hostKeys, options, _serverVersion, AdmitKeyExchange);
        RemoteEndPoint = remote;
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public long Id { get; }

    /// <summary>Monotonic time the connection was accepted; the grace times count from here.</summary>
    public TimeSpan OpenedAt { get; }

    /// <summary>What the pre-authentication admission needs to know about this connection now.</summary>
    public UnauthenticatedConnection AsUnauthenticated() => new(Id, RemoteEndPoint.Address, OpenedAt, _keyExchange.InitialExchangeDone);

    /// <summary>True once the client authenticated.</summary>
    public bool IsAuthenticated => _channels is not null;

    /// <summary>Known once key exchange is done and the client asked for authentication.</summary>
    public SshConnectionInfo? Info => _info;

    /// <summary>Raised once, when the client authenticated or the connection ended before that.</summary>
    public event Action? LeftPreAuthentication;

    public async Task RunAsync()
    {
        var cancellationToken = _closing.Token;
        _watchdog = new Timer(_ => CheckTimeouts(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        try
        {
            await _transport.SendVersionAsync(_serverVersion, cancellationToken);
            await _keyExchange.StartAsync(cancellationToken);
            _keyExchange.ClientVersion = await _transport.ReadVersionAsync(cancellationToken);
            while (true)
            {
                var payload = await _transport.ReadPacketAsync(cancellationToken);
                await DispatchAsync(payload, cancellationToken);
                if (_keyExchange.RekeyDue) await _keyExchange.StartAsync(cancellationToken);
            }
        }
        catch (SshProtocolException e)
        {
            _logger.LogWarning("Disconnecting {Remote}: {Reason}", Describe(), e.Message);
            await TrySendDisconnectAsync(e.Reason, e.Message);
        }
        catch (OperationCanceledException) when (_abortReason is not null)
        {
            _logger.LogInformation("Disconnecting {Remote}: {Reason}", Describe(), _abortReason);
            await TrySendDisconnectAsync(SshDisconnectReason.ByApplication, _abortReason);
        }
        catch (Exception e) when (e is EndOfStreamException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Connection {Remote} ended: {Reason}", Describe(), e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Connection {Remote} failed", Describe());
            await TrySendDisconnectAsync(SshDisconnectReason.ByApplication, "internal error");
        }
        finally
        {
            await CloseAsync();
        }
    }

    private string Describe() => _info?.ToString() ?? RemoteEndPoint.ToString();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DispatchAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var message = payload.Span[0];
        var strictInitial = !_keyExchange.InitialExchangeDone && _keyExchange.IsStrict;

        if (message == (byte)SshMessage.Disconnect)
        {
            throw new EndOfStreamException("client disconnected");
        }
        if (_keyExchange.IsKeyExchangeMessage(message))
        {
            await _keyExchange.HandleAsync(payload, cancellationToken);
            return;
        }
        if (strictInitial || !_keyExchange.InitialExchangeDone && message > (byte)SshMessage.Debug)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"message {message} during initial key exchange");
        }
        if (message is (byte)SshMessage.Ignore or (byte)SshMessage.Debug or (byte)SshMessage.Unimplemented) return;
        if (_keyExchange.ClientIsChangingKeys && message >= (byte)SshMessage.ServiceRequest)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"message {message} during key re-exchange");
        }

        switch (message)
        {
            case (byte)SshMessage.ServiceRequest:
                await OnServiceRequestAsync(payload, cancellationToken);
                break;
            case >= 50 and <= 79:
                if (_authentication is null) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "authentication before service request");
                await _authentication.HandleAsync(payload, cancellationToken);
                if (_authentication.IsAuthenticated && _channels is null) OnAuthenticated();
                break;
            case >= 80 and <= 127:
                if (_channels is null) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "connection protocol message before authentication");
                await _channels.HandleAsync(payload);
                break;
            default:
                using (var reply = new SshWriter(SshMessage.Unimplemented, 8))
                {
                    reply.WriteUInt32(_transport.LastReceivedSequence);
                    await _transport.SendOrQueueAsync(reply.WrittenMemory, cancellationToken);
                }
                break;
        }
    }

    private async ValueTask OnServiceRequestAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var reader = new SshReader(payload.Span[1..]);
        var service = reader.ReadString();
        if (service != "ssh-userauth" || _authentication is not null)
        {
            throw new SshProtocolException(SshDisconnectReason.ServiceNotAvailable, $"service {service} not available");
        }
        var algorithms = _keyExchange.Algorithms!;
        _info = new SshConnectionInfo(RemoteEndPoint, LocalEndPoint, _keyExchange.ClientVersion,
            Convert.ToHexStringLower(_keyExchange.SessionId!), algorithms);
        _logger.LogDebug("Keys exchanged with {Remote} ({Client}): {Kex}, {HostKey}, {Cipher} {Mac}, strict={Strict}",
            RemoteEndPoint, _info.ClientVersion, algorithms.KeyExchange, algorithms.HostKey, algorithms.CipherClientToServer,
            algorithms.MacClientToServer ?? "(AEAD)", _keyExchange.IsStrict);
        _handler = await _hooks.ConnectionStartedAsync(_info, cancellationToken);
        _authentication = new UserAuthentication(_transport, _options, _info, _handler, _keyExchange.SessionId!, _logger);
        using var accept = new SshWriter(SshMessage.ServiceAccept);
        accept.WriteString(service);
        await _transport.SendOrQueueAsync(accept.WrittenMemory, cancellationToken);
    }

    private void OnAuthenticated()
    {
        _channels = new ChannelMultiplexer(_transport, _options, _info!, _handler!, _logger, _closing.Token);
        LeavePreAuthentication();
    }

    /// <summary>Refuses a key exchange before authentication over the server's rate, as a refusal at accept is counted.</summary>
    private void AdmitKeyExchange()
    {
        if (_admitKeyExchange is null || IsAuthenticated) return;
        var refusal = _admitKeyExchange(Id, RemoteEndPoint.Address);
        if (refusal == PreAuthRefusal.None) return;
        SshMetrics.CountRefused(refusal);
        throw new SshProtocolException(SshDisconnectReason.TooManyConnections, Admission.DescribeRefusal(refusal));
    }

    private void LeavePreAuthentication()
    {
        if (Interlocked.Exchange(ref _leftPreAuthentication, 1) == 0) LeftPreAuthentication?.Invoke();
    }

    private void CheckTimeouts()
    {
        var now = Environment.TickCount64;
        var keysExchanged = _keyExchange.InitialExchangeDone;
        if (_channels is null && UnauthenticatedAdmission.IsOverdue(OpenedAt, keysExchanged, SshServer.MonotonicNow(), _options))
        {
            if (Terminate(keysExchanged ? "login grace time exceeded" : "key exchange not finished within its grace time"))
            {
                SshMetrics.CountDropped(keysExchanged ? "login_grace" : "key_exchange_grace");
            }
        }
        else if (now - _transport.LastActivityTimestamp > (long)_options.IdleTimeout.TotalMilliseconds)
        {
            Terminate("idle timeout");
        }
        else if (_keyExchange.RekeyDue && !_closing.IsCancellationRequested)
        {
            _ = StartRekeyAsync();
        }
    }

    private async Task StartRekeyAsync()
    {
        try
        {
            await _keyExchange.StartAsync(_closing.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Ends the connection from outside the read loop; the client is told the reason. False if it was already ending.</summary>
    public bool Terminate(string reason)
    {
        if (_closing.IsCancellationRequested) return false;
        _abortReason = reason;
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection closed on its own meanwhile.
            return false;
        }
        return true;
    }

    private async Task TrySendDisconnectAsync(SshDisconnectReason reason, string description)
    {
        try
        {
            using var writer = new SshWriter(SshMessage.Disconnect);
            writer.WriteUInt32((uint)reason);
            writer.WriteString(description);
            writer.WriteString("");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            // Bypass the key change gate: a disconnect may be sent at any time.
            await _transport.WithSendLockAsync(sender => sender.SendAsync(writer.WrittenSpan), timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static void HangUp(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        socket.Dispose();
    }

    private async Task CloseAsync()
    {
        if (_watchdog is not null) await _watchdog.DisposeAsync();
        if (!_closing.IsCancellationRequested) _closing.Cancel();
        _channels?.AbortAll();
        _hangUp();
        LeavePreAuthentication();
        if (_handler is not null)
        {
            try
            {
                await _handler.DisposeAsync();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Connection handler of {Remote} failed while disposing", Describe());
            }
        }
        _transport.Dispose();
        _closing.Dispose();
    }
}
