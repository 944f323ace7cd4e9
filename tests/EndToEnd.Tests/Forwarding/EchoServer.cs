using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>A destination on loopback that sends back what it receives (in upper case when asked), then closes after the sender's end.</summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _serving;
    private readonly CancellationTokenSource _stop = new();
    private int _accepted;

    private EchoServer(bool upperCase)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _serving = ServeAsync(upperCase);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    public static EchoServer Start(bool upperCase = false) => new(upperCase);

    private async Task ServeAsync(bool upperCase)
    {
        try
        {
            while (true)
            {
                var peer = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                _ = EchoAsync(peer, upperCase);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task EchoAsync(TcpClient peer, bool upperCase)
    {
        using (peer)
        {
            var stream = peer.GetStream();
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    var reply = upperCase ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(buffer, 0, read).ToUpperInvariant()) : buffer.AsMemory(0, read).ToArray();
                    await stream.WriteAsync(reply);
                }

                peer.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
    }
}
