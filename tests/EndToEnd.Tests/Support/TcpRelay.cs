using System.Net;
using System.Net.Sockets;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// A loopback TCP relay to a real server (PostgreSQL here) that a test can cut and restore, so one service loses its
/// path to a server that others on this machine keep using. Cutting closes the listener and every relayed connection;
/// restoring listens again on the same port.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly object _gate = new();
    private readonly HashSet<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    private TcpRelay(IPEndPoint upstream, int port)
    {
        _upstream = upstream;
        Port = port;
    }

    /// <summary>The loopback port the relay listens on, the same across cuts.</summary>
    public int Port { get; }

    public bool IsCut => _listener is null;

    public static TcpRelay Start(int upstreamPort)
    {
        var relay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, upstreamPort), Processes.FreePort());
        relay.Restore();
        return relay;
    }

    /// <summary>Closes the listener (new connections are refused) and every connection relayed so far.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            _cut.Cancel();
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, Port);
            // The port's own connections from before the cut may still be in TIME_WAIT.
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _cut = new CancellationTokenSource();
            _ = AcceptAsync(listener, _cut.Token);
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        while (!cut.IsCancellationRequested)
        {
            TcpClient downstream;
            try
            {
                downstream = await listener.AcceptTcpClientAsync(cut);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(downstream, cut);
        }
    }

    private async Task RelayAsync(TcpClient downstream, CancellationToken cut)
    {
        var upstream = new TcpClient();
        if (!Track(downstream) || !Track(upstream))
        {
            downstream.Dispose();
            upstream.Dispose();
            return;
        }

        try
        {
            await upstream.ConnectAsync(_upstream, cut);
            var a = downstream.GetStream();
            var b = upstream.GetStream();
            // When either side ends, both do: a half-open relay would hide the cut from the client.
            await Task.WhenAny(a.CopyToAsync(b, cut), b.CopyToAsync(a, cut));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Cut, or one side went away.
        }
        finally
        {
            Forget(downstream);
            Forget(upstream);
        }
    }

    private bool Track(TcpClient client)
    {
        lock (_gate)
        {
            return _listener is not null && _open.Add(client);
        }
    }

    private void Forget(TcpClient client)
    {
        lock (_gate)
        {
            _open.Remove(client);
        }

        client.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
