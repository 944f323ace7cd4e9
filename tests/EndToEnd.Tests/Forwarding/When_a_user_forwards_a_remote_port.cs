using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Sessions.ListingSessions;

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

    [Fact]
    public async Task Should_stop_listening_when_the_client_cancels_the_forward_through_its_control_master_and_keep_the_others()
    {
        await using var service = EchoServer.Start();
        var (cancelled, kept) = (Processes.FreePort(), Processes.FreePort());
        var (user, target, _) = await GrantedAsync("rfwdcx", [$"{cancelled}", $"{kept}"]);
        await using var master = ControlMaster.Start(stack, user, target, [Remote(cancelled, service), Remote(kept, service)]);
        await ListeningAsync(user, master.Ssh, forwards: 2);
        var opened = await OpenedOnAsync(user, cancelled);

        var cancel = await master.RunAsync("-O", "cancel", "-R", Remote(cancelled, service));

        Assert.True(cancel.ExitCode == 0, cancel.Error);
        var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed c && c.ForwardingId == opened.ForwardingId);
        Assert.Equal((ForwardingKind.Remote, ForwardingEndReason.ClientClosed, cancelled), (closed.Kind, closed.EndReason, closed.DestinationPort));
        Assert.Contains("cancelled", closed.EndedBecause);
        await UntilAsync(async () => !await ConnectsAsync(cancelled), "the target still listens after the client cancelled the forward");
        Assert.Equal("PING", await RoundTripAsync(kept, "PING"));
    }

    [Fact]
    public async Task Should_cancel_a_forward_on_a_port_the_target_picked()
    {
        await using var service = EchoServer.Start();
        var (user, target, _) = await GrantedAsync("rfwdcp", ["*"]);
        await using var master = ControlMaster.Start(stack, user, target, []);
        // The master is up once it answers a check.
        await UntilAsync(async () => (await master.RunAsync("-O", "check")).ExitCode == 0, "the control master did not start");

        var opening = await master.RunAsync("-O", "forward", "-R", $"0:127.0.0.1:{service.Port}");
        Assert.True(opening.ExitCode == 0, opening.Error);
        var picked = int.Parse(System.Text.Encoding.UTF8.GetString(opening.Output).Trim());
        var opened = await OpenedOnAsync(user, picked);
        Assert.Equal("PING", await RoundTripAsync(picked, "PING"));

        // ssh names the forward by the port the target picked.
        var cancel = await master.RunAsync("-O", "cancel", "-R", $"0:127.0.0.1:{service.Port}");

        Assert.True(cancel.ExitCode == 0, cancel.Error);
        var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed c && c.ForwardingId == opened.ForwardingId);
        Assert.Equal((ForwardingEndReason.ClientClosed, 4L), (closed.EndReason, closed.BytesToClient));
        await UntilAsync(async () => !await ConnectsAsync(picked), "the target still listens after the client cancelled the forward");
    }

    [Fact]
    public async Task Should_answer_a_cancel_of_a_forward_it_does_not_hold_with_failure_and_end_no_other()
    {
        await using var service = EchoServer.Start();
        var (kept, ended, refused, later) = (Processes.FreePort(), Processes.FreePort(), Processes.FreePort(), Processes.FreePort());
        var (user, target, _) = await GrantedAsync("rfwdcn", [$"{kept}", $"{ended}", $"{later}"]);
        await using var master = ControlMaster.Start(stack, user, target, [Remote(kept, service), Remote(ended, service), Remote(refused, service)]);
        await ListeningAsync(user, master.Ssh, forwards: 2);
        await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name && r.DestinationPort == refused);
        // One the gateway ended while the client still counts it as open.
        var endedForward = await OpenedOnAsync(user, ended);
        Assert.Equal(HttpStatusCode.Accepted,
            (await stack.BrokerAdmin.PostAsJsonAsync($"api/sessions/{endedForward.ForwardingId}/terminate", new { reason = "not this one" })).StatusCode);
        await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed c && c.ForwardingId == endedForward.ForwardingId);

        // OpenSSH still lists both (the refused one too), so it asks the gateway to cancel each; the gateway holds neither.
        Assert.True((await master.RunAsync("-O", "cancel", "-R", Remote(refused, service))).ExitCode == 0);
        Assert.True((await master.RunAsync("-O", "cancel", "-R", Remote(ended, service))).ExitCode == 0);
        // Global requests are answered in order: once a later forward is open, both cancels were answered.
        var opening = await master.RunAsync("-O", "forward", "-R", Remote(later, service));
        Assert.True(opening.ExitCode == 0, opening.Error);
        await OpenedOnAsync(user, later);

        var keptForward = await OpenedOnAsync(user, kept);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is ForwardingClosed c && c.ForwardingId == keptForward.ForwardingId));
        Assert.Equal("PING", await RoundTripAsync(kept, "PING"));
    }

    [Fact]
    public async Task Should_stop_listening_and_close_its_connections_when_an_operator_terminates_it_with_the_cli()
    {
        await using var open = await OpenRemoteForwardAsync("rfwdtm");
        var live = await stack.BrokerAdmin.GetFromJsonAsync<GatewayLiveView>("api/live", LiveJson);
        Assert.Contains(live!.Forwards, f => (f.ForwardingId, f.Kind, f.DestinationHost, f.DestinationPort)
            == (open.Listening.ForwardingId, ForwardingKind.Remote, "127.0.0.1", open.Port));
        var listed = await GatehouseCli.RunAsync(stack, "sessions", "list");
        Assert.Contains(listed.Out.Split('\n'), line => line.StartsWith(open.Listening.ForwardingId.ToString()) && line.Contains("Remote")
                                                         && line.Contains($"127.0.0.1:{open.Port}"));

        var terminated = await GatehouseCli.RunAsync(stack, "sessions", "terminate", open.Listening.ForwardingId.ToString(), "--reason", "exfiltration suspected");

        Assert.True(terminated.Exit == 0, terminated.Error);
        var (listener, connection) = await open.ClosedAsync();
        Assert.Equal((ForwardingEndReason.Terminated, ForwardingEndReason.Terminated), (listener.EndReason, connection.EndReason));
        Assert.Matches("^terminated by .+: exfiltration suspected$", connection.EndedBecause);
    }

    [Fact]
    public async Task Should_stop_listening_and_close_its_connections_when_its_grant_expires()
    {
        // Long enough for the forward and its connection to open first on a loaded machine.
        await using var open = await OpenRemoteForwardAsync("rfwdex", expiresAt: DateTimeOffset.UtcNow.AddSeconds(15));

        var (listener, connection) = await open.ClosedAsync();
        Assert.Equal((ForwardingEndReason.GrantExpired, ForwardingEndReason.GrantExpired), (listener.EndReason, connection.EndReason));
        Assert.Contains("the grant expired at", listener.EndedBecause);
    }

    [Fact]
    public async Task Should_stop_listening_and_close_its_connections_at_its_grants_maximum_session_length()
    {
        await using var open = await OpenRemoteForwardAsync("rfwdmx", maxSessionLength: TimeSpan.FromSeconds(8));

        var (listener, connection) = await open.ClosedAsync();
        Assert.Equal((ForwardingEndReason.MaxLength, ForwardingEndReason.MaxLength), (listener.EndReason, connection.EndReason));
        // The timer counts on the monotonic clock, the duration on the wall clock: they may differ by a millisecond or two.
        Assert.InRange(listener.Duration, TimeSpan.FromSeconds(8) - TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Should_record_it_failed_when_the_connection_to_the_target_is_lost()
    {
        // An sshd of the test's own, which it can kill without touching the stack's shared target.
        await using var doomed = await SshTarget.StartAsync(Path.Combine(stack.Work, $"doomed-{Guid.NewGuid():N}"),
            await File.ReadAllTextAsync(stack.VaultKey + ".pub"));
        await using var forward = await OpenRemoteForwardAsync("rlost", on: doomed);

        await doomed.DisposeAsync();

        var listener = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed c && c.ForwardingId == forward.Listening.ForwardingId);
        var connection = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { Kind: ForwardingKind.RemoteConnection } c
                                                                                     && c.UserName == forward.User.Name);
        Assert.Equal((ForwardingEndReason.Failed, ForwardingEndReason.Failed), (listener.EndReason, connection.EndReason));
        Assert.StartsWith("the connection to the target was lost", listener.EndedBecause);
        Assert.True(await EndedAsync(forward.Client.GetStream()), "the connection through the forward stayed open");
    }

    private static readonly JsonSerializerOptions LiveJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static string Remote(int listen, EchoServer service) => $"127.0.0.1:{listen}:127.0.0.1:{service.Port}";

    private async Task<ForwardingOpened> OpenedOnAsync(GatehouseUser user, int port) =>
        (ForwardingOpened)await stack.BrokerEventEventuallyAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name
                                                                     && o.DestinationPort == port);

    /// <summary>A connection to the target's port (this machine's loopback) that sends a line and reads what comes back.</summary>
    private static async Task<string> RoundTripAsync(int port, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        await client.GetStream().WriteAsync(bytes);
        var back = new byte[bytes.Length];
        await client.GetStream().ReadExactlyAsync(back).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        return System.Text.Encoding.ASCII.GetString(back);
    }

    /// <summary>ssh -N -R with one connection through it from the target's side that has carried "ping" both ways and stays open.</summary>
    private async Task<OpenedRemoteForward> OpenRemoteForwardAsync(string prefix, TimeSpan? maxSessionLength = null, DateTimeOffset? expiresAt = null,
        SshTarget? on = null)
    {
        var service = EchoServer.Start();
        var listen = Processes.FreePort();
        var user = await stack.CreateUserAsync(prefix);
        var target = await stack.RegisterTargetAsync(prefix, on: on);
        await stack.GrantAsync(user, target, maxSessionLength: maxSessionLength, expiresAt: expiresAt, remoteForwardPorts: [$"{listen}"]);
        var ssh = Start([.. OpenSsh.Options(stack, user), "-N", "-R", Remote(listen, service), OpenSsh.Destination(user, target)]);
        await ListeningAsync(user, ssh);
        var listening = await OpenedOnAsync(user, listen);
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, listen);
        await client.GetStream().WriteAsync("ping"u8.ToArray());
        await client.GetStream().ReadExactlyAsync(new byte[4]).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        return new OpenedRemoteForward(stack, user, listen, listening, service, ssh, client);
    }

    private sealed record OpenedRemoteForward(GatehouseStack Stack, GatehouseUser User, int Port, ForwardingOpened Listening, EchoServer Service,
        Process Ssh, TcpClient Client) : IAsyncDisposable
    {
        /// <summary>The forward and the connection that carried "ping" closed, that connection ended, and the target no longer listens.</summary>
        public async Task<(ForwardingClosed Listener, ForwardingClosed Connection)> ClosedAsync()
        {
            var connection = (ForwardingClosed)await Stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { Kind: ForwardingKind.RemoteConnection, BytesToClient: 4 } c
                                                                                          && c.UserName == User.Name);
            var listener = (ForwardingClosed)await Stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed c && c.ForwardingId == Listening.ForwardingId);
            Assert.Equal((4L, 4L), (listener.BytesFromClient, listener.BytesToClient));
            Assert.True(await EndedAsync(Client.GetStream()), "the connection through the forward stayed open");
            await UntilAsync(async () => !await ConnectsAsync(Port), "the target still listens after the forward ended");
            return (listener, connection);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            Ssh.Kill();
            Ssh.Dispose();
            await Service.DisposeAsync();
        }
    }

    /// <summary>ssh -M -N with remote forwards: a control master that later ssh -O commands ask to add or cancel forwards.</summary>
    private sealed class ControlMaster(GatehouseStack stack, GatehouseUser user, string target, string socket, Process ssh) : IAsyncDisposable
    {
        public Process Ssh => ssh;

        public static ControlMaster Start(GatehouseStack stack, GatehouseUser user, string target, string[] remoteForwards)
        {
            // A socket's path is short (108 bytes): not under the stack's folder.
            var socket = Path.Combine(Path.GetTempPath(), $"gh-rfwd-{Guid.NewGuid():N}"[..20]);
            var ssh = When_a_user_forwards_a_remote_port.Start([.. OpenSsh.Options(stack, user), "-M", "-S", socket, "-N", "-o", "ExitOnForwardFailure=no",
                .. remoteForwards.SelectMany(f => new[] { "-R", f }), OpenSsh.Destination(user, target)]);
            return new ControlMaster(stack, user, target, socket, ssh);
        }

        public Task<ProcessResult> RunAsync(params string[] control) =>
            Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user), "-S", socket, .. control, OpenSsh.Destination(user, target)], [],
                timeout: TimeSpan.FromSeconds(30));

        public ValueTask DisposeAsync()
        {
            ssh.Kill();
            ssh.Dispose();
            File.Delete(socket);
            return ValueTask.CompletedTask;
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
    /// The forward is recorded once the target listens, and what the tests check is in the records: they wait for the
    /// record, not for the port.
    /// </summary>
    private async Task ListeningAsync(GatehouseUser user, Process ssh, int forwards = 1)
    {
        await UntilAsync(async () => ssh.HasExited
                ? throw new InvalidOperationException(await ssh.StandardError.ReadToEndAsync())
                : (await stack.BrokerEventsAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name)).Count >= forwards,
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
