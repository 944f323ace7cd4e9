using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// ssh -R through the gateway: the target listens (on its loopback) for the client when the grant lists the port, each
/// connection arriving there reaches a service on the client's side, and both the forward and each connection are recorded.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_forwards_a_remote_port(GatehouseStack stack)
{
    [Fact]
    public async Task Should_carry_a_connection_to_the_targets_port_to_a_service_on_the_client_side_and_record_it()
    {
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        _ = AnswerOneLineEachAsync(service);
        var listen = Processes.FreePort();
        var (user, target, _) = await GrantedAsync("rfwd", [$"{listen}"]);
        using var ssh = Start([.. OpenSsh.Options(stack, user), "-N", "-o", "ExitOnForwardFailure=yes",
            "-R", $"127.0.0.1:{listen}:127.0.0.1:{((IPEndPoint)service.LocalEndpoint).Port}", OpenSsh.Destination(user, target)]);
        try
        {
            // The target's sshd listens on this machine's loopback: that is where a process on the target would connect.
            await ListeningAsync(user, ssh);
            using (var client = new TcpClient())
            {
                await client.ConnectAsync(IPAddress.Loopback, listen);
                var stream = client.GetStream();
                await stream.WriteAsync("ping\n"u8.ToArray());
                Assert.Equal("PING", await new StreamReader(stream).ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)));
            }

            var listening = (ForwardingOpened)await stack.BrokerEventEventuallyAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name);
            Assert.Equal((target, SshTarget.Login, "127.0.0.1", listen), (listening.Target, listening.Login, listening.DestinationHost, listening.DestinationPort));
            var carried = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { Kind: ForwardingKind.RemoteConnection, BytesToClient: 5 } c
                                                                       && c.UserName == user.Name);
            Assert.Equal((5L, ForwardingEndReason.ClientClosed), (carried.BytesFromClient, carried.EndReason));
            var opened = (ForwardingOpened)(await stack.BrokerEventsAsync(e => e is ForwardingOpened o && o.ForwardingId == carried.ForwardingId)).Single();
            Assert.Equal((listening.GrantId, "127.0.0.1", listen), (opened.GrantId, opened.DestinationHost, opened.DestinationPort));
        }
        finally
        {
            ssh.Kill();
        }

        // The client's connection ended: so did its forward, with all it carried.
        var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { Kind: ForwardingKind.Remote } c && c.UserName == user.Name);
        Assert.Equal((5L, 5L), (closed.BytesFromClient, closed.BytesToClient));
    }

    [Fact]
    public async Task Should_tell_the_client_the_port_the_target_picked_under_a_grant_for_any_port()
    {
        await using var service = EchoServer.Start(upperCase: true);
        var (user, target, _) = await GrantedAsync("rfwdany", ["*"]);

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user, logLevel: "INFO"), "-o", "ExitOnForwardFailure=yes",
            "-R", $"0:127.0.0.1:{service.Port}", OpenSsh.Destination(user, target), "true"], []);

        Assert.True(result.ExitCode == 0, result.Error);
        var allocated = Regex.Match(result.Error, @"Allocated port (\d+) for remote forward");
        Assert.True(allocated.Success, result.Error);
        var listening = (ForwardingOpened)await stack.BrokerEventEventuallyAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name);
        Assert.Equal(int.Parse(allocated.Groups[1].Value), listening.DestinationPort);
    }

    [Fact]
    public async Task Should_refuse_ssh_R_under_a_grant_that_lists_no_port_for_it_and_say_why_in_the_event()
    {
        await using var service = EchoServer.Start();
        var listen = Processes.FreePort();
        var user = await stack.CreateUserAsync("rfwdno");
        var target = await stack.RegisterTargetAsync("rfwdno");
        await stack.GrantAsync(user, target, forwardTo: [$"127.0.0.1:{service.Port}"]);

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user, logLevel: "INFO"), "-o", "ExitOnForwardFailure=yes",
            "-R", $"127.0.0.1:{listen}:127.0.0.1:{service.Port}", OpenSsh.Destination(user, target), "true"], []);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"remote port forwarding failed for listen port {listen}", result.Error);
        var refused = (ForwardingRefused)await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name);
        Assert.Equal((ForwardingKind.Remote, ForwardingRefusalReason.NotAllowedByGrant, "127.0.0.1", listen),
            (refused.Kind, refused.Reason, refused.DestinationHost, refused.DestinationPort));
        Assert.Contains("does not allow remote port forwarding", refused.Detail);
        Assert.False(await ConnectsAsync(listen));
    }

    [Fact]
    public async Task Should_stop_listening_and_close_its_connections_when_the_grant_is_revoked()
    {
        await using var service = EchoServer.Start();
        var listen = Processes.FreePort();
        var (user, target, grantId) = await GrantedAsync("rfwdrv", [$"{listen}"]);
        using var ssh = Start([.. OpenSsh.Options(stack, user), "-N", "-o", "ExitOnForwardFailure=yes",
            "-R", $"127.0.0.1:{listen}:127.0.0.1:{service.Port}", OpenSsh.Destination(user, target)]);
        try
        {
            await ListeningAsync(user, ssh);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, listen);
            var stream = client.GetStream();
            await stream.WriteAsync("ping"u8.ToArray());
            await stream.ReadExactlyAsync(new byte[4]).AsTask().WaitAsync(TimeSpan.FromMinutes(1));

            await stack.RevokeGrantAsync(grantId, "no more tunnels");

            var carried = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { Kind: ForwardingKind.RemoteConnection, BytesToClient: 4 } c
                                                                       && c.UserName == user.Name);
            Assert.Equal(ForwardingEndReason.AccessWithdrawn, carried.EndReason);
            Assert.Contains("revoked", carried.EndedBecause);
            var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { Kind: ForwardingKind.Remote } c && c.UserName == user.Name);
            Assert.Equal(ForwardingEndReason.AccessWithdrawn, closed.EndReason);
            Assert.True(await EndedAsync(stream), "the connection through the forward stayed open");
            // The target no longer listens for the client.
            await UntilAsync(async () => !await ConnectsAsync(listen), "the target still listens after the grant was revoked");
        }
        finally
        {
            ssh.Kill();
        }
    }

    /// <summary>
    /// A service on the client's side that answers one line in upper case and closes, as request-response services do: the
    /// connection ends from the client's side (SSH.NET does not pass on an end of data from the connecting side on the target).
    /// </summary>
    private static async Task AnswerOneLineEachAsync(TcpListener service)
    {
        try
        {
            while (true)
            {
                var peer = await service.AcceptTcpClientAsync();
                _ = Task.Run(async () =>
                {
                    using (peer)
                    {
                        var line = await new StreamReader(peer.GetStream()).ReadLineAsync();
                        if (line is not null)
                        {
                            await peer.GetStream().WriteAsync(System.Text.Encoding.UTF8.GetBytes(line.ToUpperInvariant() + "\n"));
                        }
                    }
                });
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The test ended.
        }
    }

    private async Task<(GatehouseUser User, string Target, Guid GrantId)> GrantedAsync(string prefix, string[] remoteForwardPorts)
    {
        var user = await stack.CreateUserAsync(prefix);
        var target = await stack.RegisterTargetAsync(prefix);
        var grantId = await stack.GrantAsync(user, target, remoteForwardPorts: remoteForwardPorts);
        return (user, target, grantId);
    }

    /// <summary>
    /// The forward is recorded once SSH.NET has taken the target's answer: a connection arriving in the moment before is
    /// refused by SSH.NET (it has not yet marked the forward started), so the tests wait for the record, not the port.
    /// </summary>
    private async Task ListeningAsync(GatehouseUser user, Process ssh)
    {
        await UntilAsync(async () => ssh.HasExited
                ? throw new InvalidOperationException(await ssh.StandardError.ReadToEndAsync())
                : (await stack.BrokerEventsAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name)).Count > 0,
            "the remote forward was not recorded as open");
    }

    /// <summary>The connection ended: closed, or reset when sshd on the target closed it with data unread.</summary>
    private static async Task<bool> EndedAsync(Stream stream)
    {
        try
        {
            return await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)) == 0;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    private static async Task<bool> ConnectsAsync(int port)
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), failure);
            await Task.Delay(100);
        }
    }

    private static Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
