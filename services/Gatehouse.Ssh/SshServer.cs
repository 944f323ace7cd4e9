using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Ssh.HostKeys;
using Gatehouse.Ssh.PreAuthentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Ssh;

/// <summary>
/// The SSH-2 server: accepts TCP connections, enforces the pre-authentication limits and runs each
/// client through key exchange, authentication and the connection protocol, asking
/// <see cref="ISshServerHooks"/> for every decision.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    private readonly SshServerOptions _options;
    private readonly ISshServerHooks _hooks;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ClientConnection, Task> _connections = new();
    private readonly Dictionary<long, ClientConnection> _unauthenticated = [];
    private readonly PreAuthKeyExchangeLog _preAuthKeyExchanges;
    private long _nextConnectionId;
    private HostKeyStore? _hostKeys;
    private Socket? _listener;
    private Task? _acceptLoop;

    public SshServer(SshServerOptions options, ISshServerHooks hooks, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _preAuthKeyExchanges = new PreAuthKeyExchangeLog(options);
        _hooks = hooks;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Gatehouse.Ssh");
    }

    /// <summary>The bound address; with port 0 in the options this tells the port actually used.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started");

    /// <summary>SHA256 fingerprints of the host keys, as ssh-keygen -l prints them.</summary>
    public IReadOnlyList<string> HostKeyFingerprints => _hostKeys?.Keys.Select(k => $"{k.KeyType} {k.Fingerprint}").ToList() ?? [];

    /// <summary>The host public keys as known_hosts lists them ("ssh-ed25519 AAAA...").</summary>
    public IReadOnlyList<string> HostPublicKeys =>
        _hostKeys?.Keys.Select(k => new Gatehouse.Vocabulary.OpenSshPublicKey(k.KeyType, k.PublicKeyBlob).Line).ToList() ?? [];

    public int UnauthenticatedConnections
    {
        get
        {
            lock (_unauthenticated) return _unauthenticated.Count;
        }
    }

    /// <summary>The clock the grace times run on: monotonic, so a wall-clock step neither extends nor cuts them.</summary>
    internal static TimeSpan MonotonicNow() => TimeSpan.FromMilliseconds(Environment.TickCount64);

    /// <summary>Every connection still running, from accept to close, whatever its stage.</summary>
    public int RunningConnections => _connections.Count;

    /// <summary>Connections that finished key exchange and are still open.</summary>
    public IReadOnlyList<SshConnectionInfo> Connections => _connections.Keys.Select(c => c.Info).OfType<SshConnectionInfo>().ToList();

    /// <summary>
    /// Ends a connection (for example on a TerminateSession command), telling the client why.
    /// Returns false when no open connection has that session id.
    /// </summary>
    public bool Disconnect(string sessionId, string reason)
    {
        var connection = _connections.Keys.FirstOrDefault(c => c.Info?.SessionId == sessionId);
        connection?.Terminate(reason);
        return connection is not null;
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _options.Validate();
        _hostKeys = HostKeyStore.LoadOrCreate(_options.HostKeyDirectory, _logger);
        var listener = new Socket(_options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(_options.ListenEndPoint);
        listener.Listen(512);
        _listener = listener;
        _logger.LogInformation("SSH gateway listening on {EndPoint}", LocalEndPoint);
        _acceptLoop = AcceptLoopAsync();
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("Accept failed: {Error}", e.SocketErrorCode);
                continue;
            }
            try
            {
                Admit(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The client went away between accept and admission; keep accepting the others.
                _logger.LogDebug("Connection lost before admission: {Error}", e.Message);
                socket.Dispose();
            }
        }
    }

    private void Admit(Socket socket)
    {
        var source = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        socket.NoDelay = true;
        Admission admission;
        ClientConnection? connection = null;
        ClientConnection? evicted = null;
        lock (_unauthenticated)
        {
            admission = UnauthenticatedAdmission.Decide(_unauthenticated.Values.Select(c => c.AsUnauthenticated()).ToList(), source, _options);
            if (admission.Outcome != AdmissionOutcome.Refused)
            {
                if (admission.Evicted is { } victim && _unauthenticated.Remove(victim.Id, out var held)) evicted = held;
                connection = new ClientConnection(Interlocked.Increment(ref _nextConnectionId), MonotonicNow(), socket, _options, _hostKeys!, _hooks, _logger,
                    AdmitKeyExchange, _stopping.Token);
                _unauthenticated.Add(connection.Id, connection);
            }
        }
        if (connection is null)
        {
            _logger.LogWarning("Refusing connection from {Source}: {Reason}", source, admission.Describe());
            SshMetrics.CountRefused(admission.Refusal);
            CloseRefused(socket);
            return;
        }
        if (evicted is not null && evicted.Terminate("dropped to make room: the gateway is full of unauthenticated connections"))
        {
            _logger.LogWarning("Dropping unauthenticated connection from {Evicted} to admit {Source}: {Reason}, and its subnet holds the most",
                evicted.RemoteEndPoint, source, admission.Describe());
            SshMetrics.CountDropped("evicted");
        }

        var id = connection.Id;
        var admitted = connection;
        connection.LeftPreAuthentication += () =>
        {
            lock (_unauthenticated) _unauthenticated.Remove(id);
            if (admitted.IsAuthenticated)
            {
                lock (_preAuthKeyExchanges) _preAuthKeyExchanges.Forgive(id);
            }
        };
        var run = Task.Run(connection.RunAsync);
        _connections.TryAdd(connection, run);
        run.ContinueWith(_ => _connections.TryRemove(connection, out var _), TaskScheduler.Default);
    }

    /// <summary>Counts a key exchange before authentication if the rate per source and subnet allows it.</summary>
    private PreAuthRefusal AdmitKeyExchange(long connectionId, IPAddress source)
    {
        lock (_preAuthKeyExchanges) return _preAuthKeyExchanges.Admit(connectionId, source, MonotonicNow());
    }

    /// <summary>
    /// Serves one SSH connection over <paramref name="stream"/> instead of a TCP socket (ProxyJump: the client's inner
    /// connection inside a channel of its outer one), with this server's options and limits, but proving itself with
    /// <paramref name="identity"/> and asking <paramref name="hooks"/>. The caller admitted the stream, so the
    /// unauthenticated-connection limits do not count it; the login grace time does apply. Ends when the connection does
    /// (or the server stops), after calling <paramref name="hangUp"/> to close the stream's far end.
    /// </summary>
    public Task ServeAsync(Stream stream, IPEndPoint remote, IPEndPoint local, SshHostIdentity identity, ISshServerHooks hooks, Action hangUp)
    {
        if (_hostKeys is null) throw new InvalidOperationException("The server is not started");
        var connection = new ClientConnection(Interlocked.Increment(ref _nextConnectionId), MonotonicNow(), stream, remote, local, hangUp, _options,
            identity.ToStore(), hooks, _logger, _stopping.Token);
        var run = Task.Run(connection.RunAsync);
        _connections.TryAdd(connection, run);
        run.ContinueWith(_ => _connections.TryRemove(connection, out var _), TaskScheduler.Default);
        return run;
    }

    /// <summary>Closes with FIN rather than reset, so the client sees the gateway hang up, not a network fault.</summary>
    private static void CloseRefused(Socket socket)
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

    /// <summary>Stops accepting and disconnects every client.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        _listener?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _hostKeys?.Dispose();
        _stopping.Dispose();
    }
}
