using System.Diagnostics;
using System.Net;
using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Lifecycle;

public class StoppingTheServer(GatewayFixture keys) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_disconnect_every_client_and_stop_listening()
    {
        var hooks = new LocalShellHooks();
        hooks.AuthorizedKeys.Add(File.ReadAllText(keys.Ed25519Key + ".pub").Trim());
        var server = new SshServer(new SshServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), HostKeyDirectory = keys.HostKeyDirectory }, hooks);
        await server.StartAsync();
        var port = server.LocalEndPoint.Port;
        var session = OpenSsh.RunAsync("ssh", [.. OpenSsh.CommonOptions(port, keys.Ed25519Key), "alice@127.0.0.1", "echo started; sleep 60"]);
        var clock = Stopwatch.StartNew();
        while (!hooks.Requests.OfType<SshExecRequest>().Any())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the session never started");
            await Task.Delay(50);
        }

        await server.DisposeAsync();

        var result = await session.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, result.ExitCode);
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => new System.Net.Sockets.TcpClient().ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task Should_end_one_connection_on_request_and_leave_the_others_alone()
    {
        var hooks = new LocalShellHooks();
        hooks.AuthorizedKeys.Add(File.ReadAllText(keys.Ed25519Key + ".pub").Trim());
        await using var server = new SshServer(new SshServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), HostKeyDirectory = keys.HostKeyDirectory }, hooks);
        await server.StartAsync();
        var port = server.LocalEndPoint.Port;
        var doomed = OpenSsh.RunAsync("ssh", [.. OpenSsh.CommonOptions(port, keys.Ed25519Key), "alice@127.0.0.1", "sleep 60"]);
        var clock = Stopwatch.StartNew();
        while (server.Connections.Count(c => c.IsAuthenticated) < 1 || !hooks.Requests.OfType<SshExecRequest>().Any())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the session never started");
            await Task.Delay(50);
        }
        var target = server.Connections.Single(c => c.IsAuthenticated);
        var bystander = OpenSsh.RunAsync("ssh", [.. OpenSsh.CommonOptions(port, keys.Ed25519Key), "alice@127.0.0.1", "sleep 2; echo unaffected"]);
        await Task.Delay(500);

        Assert.True(server.Disconnect(target.SessionId, "session terminated by an administrator"));

        var ended = await doomed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(255, ended.ExitCode);
        Assert.Equal("unaffected\n", (await bystander.WaitAsync(TimeSpan.FromSeconds(15))).Text);
        clock.Restart();
        while (server.Connections.Any(c => c.SessionId == target.SessionId))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the connection was never removed");
            await Task.Delay(50);
        }
        Assert.False(server.Disconnect(target.SessionId, "again"));
    }
}
