using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Forwarding;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>ssh -N -L through the gateway with one TCP connection through it that has carried "ping" both ways and stays open.</summary>
public sealed class OpenedForward : IAsyncDisposable
{
    private readonly GatehouseStack _stack;
    private readonly EchoServer _destination;
    private readonly Process _ssh;

    private OpenedForward(GatehouseStack stack, GatehouseUser user, Guid grantId, EchoServer destination, Process ssh, TcpClient client)
    {
        (_stack, User, GrantId, _destination, _ssh, Client) = (stack, user, grantId, destination, ssh, client);
    }

    public GatehouseUser User { get; }

    public Guid GrantId { get; }

    /// <summary>The connection through the forward (its local port is the originator port the gateway records).</summary>
    public TcpClient Client { get; }

    /// <summary>Grants <paramref name="user"/> forwarding from <paramref name="target"/> to an echo server, and opens the forward.</summary>
    public static async Task<OpenedForward> OpenAsync(GatehouseStack stack, GatehouseUser user, string target, TimeSpan? maxSessionLength = null)
    {
        var destination = EchoServer.Start();
        var grantId = await stack.GrantAsync(user, target, maxSessionLength: maxSessionLength, forwardTo: [$"127.0.0.1:{destination.Port}"]);
        var local = Processes.FreePort();
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-N", "-L", $"127.0.0.1:{local}:127.0.0.1:{destination.Port}", OpenSsh.Destination(user, target)])
        {
            start.ArgumentList.Add(argument);
        }

        var ssh = Process.Start(start)!;
        await Processes.WaitForPortAsync(local);
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, local);
        await client.GetStream().WriteAsync("ping"u8.ToArray());
        await client.GetStream().ReadExactlyAsync(new byte[4]);
        return new OpenedForward(stack, user, grantId, destination, ssh, client);
    }

    /// <summary>
    /// The gateway's record of this forward's opening. Waiting for the port opened (and closed) a first, empty forward: this
    /// one is told by its originator, ssh's report of the client connection that carried "ping".
    /// </summary>
    public async Task<ForwardingOpened> OpenedAsync()
    {
        var originator = ((IPEndPoint)Client.Client.LocalEndPoint!).Port;
        return (ForwardingOpened)await _stack.BrokerEventEventuallyAsync(e => e is ForwardingOpened o && o.UserName == User.Name && o.OriginatorPort == originator);
    }

    /// <summary>The forward that carried "ping" closed, and the client's TCP connection through it ended.</summary>
    public async Task<ForwardingClosed> ClosedAsync()
    {
        var closed = (ForwardingClosed)await _stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { BytesFromClient: 4 } c && c.UserName == User.Name);
        Assert.Equal(0, await Client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        return closed;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _ssh.Kill();
        _ssh.Dispose();
        await _destination.DisposeAsync();
    }
}
