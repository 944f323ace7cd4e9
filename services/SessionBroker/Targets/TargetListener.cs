using System.Net;
using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>A connection that arrived at the port the target listens on: the gateway's end of it, and where the target says it came from.</summary>
/// <param name="OriginatorAddress">Empty when the target's word cannot be tied to this connection for sure.</param>
public sealed record ArrivedConnection(Socket Socket, string OriginatorAddress, uint OriginatorPort);

/// <summary>
/// A port the target listens on for the gateway (ssh -R on the target itself): SSH.NET's ForwardedPortRemote sends the
/// tcpip-forward request on the gateway's connection to the target and connects each forwarded-tcpip channel the target
/// opens to a loopback listener of this class, which hands it on. Only connections this process opened are taken
/// (<see cref="LoopbackPeer"/>): another process on the gateway cannot pass itself off as the target.
/// </summary>
public sealed class TargetListener : IAsyncDisposable
{
    private readonly SshClient _client;
    private readonly ForwardedPortRemote _port;
    private readonly TcpListener _handOver;
    private readonly Func<ArrivedConnection, Task> _arrived;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Queue<(string Address, uint Port)> _told = new();
    private int _unsure;
    private Task _accepting = Task.CompletedTask;
    private int _disposed;

    private TargetListener(SshClient client, ForwardedPortRemote port, TcpListener handOver, Func<ArrivedConnection, Task> arrived, ILogger logger)
    {
        (_client, _port, _handOver, _arrived, _logger) = (client, port, handOver, arrived, logger);
    }

    /// <summary>The port the target listens on (the one it picked, when asked for 0).</summary>
    public uint BoundPort => _port.BoundPort;

    /// <summary>
    /// Asks the target to listen on <paramref name="address"/>:<paramref name="port"/>; throws
    /// <see cref="TargetConnectionException"/> when it refuses (the port is taken, its sshd does not allow forwarding).
    /// </summary>
    public static async Task<TargetListener> StartAsync(SshClient client, IPAddress address, uint port, Func<ArrivedConnection, Task> arrived,
        ILogger logger, CancellationToken cancellationToken)
    {
        var handOver = new TcpListener(IPAddress.Loopback, 0);
        handOver.Start();
        var forwarded = new ForwardedPortRemote(address, port, IPAddress.Loopback, (uint)((IPEndPoint)handOver.LocalEndpoint).Port);
        var listener = new TargetListener(client, forwarded, handOver, arrived, logger);
        forwarded.RequestReceived += (_, e) => listener.Told(e.OriginatorHost, e.OriginatorPort);
        forwarded.Exception += (_, e) => logger.LogInformation("A connection forwarded by the target failed: {Error}", e.Exception.Message);
        try
        {
            client.AddForwardedPort(forwarded);
            // Blocks for the target's answer (bounded by the connection's timeout).
            await Task.Run(forwarded.Start, cancellationToken);
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            await listener.DisposeAsync();
            throw new TargetConnectionException($"the target refused to listen on {address}:{port}", Contracts.SessionRefusalReason.TargetUnreachable);
        }
        catch
        {
            await listener.DisposeAsync();
            throw;
        }

        listener._accepting = Task.Run(listener.AcceptAsync, CancellationToken.None);
        return listener;
    }

    /// <summary>SSH.NET tells where a connection came from on its own thread just before it connects to the hand-over listener.</summary>
    private void Told(string address, uint port)
    {
        lock (_told)
        {
            _told.Enqueue((address, port));
        }
    }

    /// <summary>
    /// The originator the target told for the connection just taken. When several were told before one arrived, which
    /// belongs to which is not known, so those connections are recorded without one rather than with a wrong one.
    /// </summary>
    private (string Address, uint Port) OriginatorOfNext()
    {
        lock (_told)
        {
            _unsure = Math.Max(_unsure, _told.Count > 1 ? _told.Count : 0);
            var told = _told.TryDequeue(out var next) ? next : ("", 0u);
            if (_unsure > 0)
            {
                _unsure--;
                return ("", 0);
            }

            return told;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _handOver.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (!LoopbackPeer.IsThisProcess(socket))
            {
                _logger.LogWarning("A connection to the hand-over port of a remote forward from {Peer} was not the target's, and was closed",
                    socket.RemoteEndPoint);
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            var (address, port) = OriginatorOfNext();
            _ = Task.Run(() => _arrived(new ArrivedConnection(socket, address, port)));
        }
    }

    /// <summary>Stops listening on the target (cancel-tcpip-forward); connections already handed on are their owners' to close.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _handOver.Stop();
        await _accepting;
        await Task.Run(() =>
        {
            try
            {
                if (_port.IsStarted)
                {
                    _port.Stop();
                }

                _client.RemoveForwardedPort(_port);
            }
            catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The target connection is already gone, and its listener with it.
            }

            _port.Dispose();
        });
        _stopping.Dispose();
    }
}
