using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>
/// An attacker's connections that never authenticate, each from a chosen loopback source address
/// (all of 127.0.0.0/8 is loopback, so a test can play many hosts and subnets).
/// </summary>
internal sealed class StallingConnections : IAsyncDisposable
{
    public enum Stage
    {
        /// <summary>Connects and sends nothing, not even a version line.</summary>
        Silent,

        /// <summary>Sends its version line and KEXINIT, then nothing more.</summary>
        AfterKexInit,

        /// <summary>Completes key exchange, then never asks for authentication.</summary>
        AfterKeyExchange,
    }

    private readonly List<Socket> _sockets = [];

    public int Count => _sockets.Count;

    public IReadOnlyList<Socket> Sockets => _sockets;

    public static async Task<StallingConnections> OpenAsync(int port, IEnumerable<IPAddress> sources, int perSource, Stage stage)
    {
        var connections = new StallingConnections();
        foreach (var source in sources)
        {
            for (var i = 0; i < perSource; i++) await connections.AddAsync(port, source, stage);
        }
        return connections;
    }

    public async Task AddAsync(int port, IPAddress source, Stage stage)
    {
        var socket = Bound(source);
        _sockets.Add(socket);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        try
        {
            await AdvanceAsync(socket, stage);
        }
        catch (Exception e) when (e is SocketException or IOException or EndOfStreamException or OperationCanceledException or SshProtocolException)
        {
            // A refused connection is closed by the gateway; the attacker keeps its socket and moves on.
        }
    }

    /// <summary>A socket that will connect from <paramref name="source"/>.</summary>
    public static Socket Bound(IPAddress source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        return socket;
    }

    private static async Task AdvanceAsync(Socket socket, Stage stage)
    {
        if (stage == Stage.Silent) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (stage == Stage.AfterKeyExchange)
        {
            var client = RawSshClient.Wrap(socket);
            await client.ExchangeVersionsAsync();
            await client.ExchangeKeysAsync("aes128-gcm@openssh.com");
            return;
        }
        await socket.SendAsync(Encoding.ASCII.GetBytes("SSH-2.0-Stalling\r\n"), SocketFlags.None, timeout.Token);
        var kexInit = new KexInit(["curve25519-sha256", KexInit.StrictKexClient], ["ssh-ed25519"],
            ["aes128-gcm@openssh.com"], ["aes128-gcm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["none"], ["none"], false);
        using var transport = new PacketTransport(new NetworkStream(socket), 64 * 1024, 64 * 1024);
        await transport.SendAsync(kexInit.Encode(), timeout.Token);
    }

    /// <summary>Whether the gateway has closed this connection (reads to the end of what it sent).</summary>
    public static async Task<bool> IsClosedByGatewayAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(within);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets) socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
