using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>ssh -L and -W through the gateway: opened from the target, only to the destinations the grant lists, recorded.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_forwards_a_port(GatehouseStack stack)
{
    private const int Tunnelled = 100 * 1024 * 1024;

    [Fact]
    public async Task Should_carry_100_MiB_intact_through_ssh_L_and_record_the_bytes_each_way()
    {
        await using var destination = EchoServer.Start();
        var (user, target) = await GrantedAsync("fwdl", forwardTo: [$"127.0.0.1:{destination.Port}"]);
        var local = Processes.FreePort();
        using var ssh = Start([.. OpenSsh.Options(stack, user), "-N", "-o", "ExitOnForwardFailure=yes",
            "-L", $"127.0.0.1:{local}:127.0.0.1:{destination.Port}", OpenSsh.Destination(user, target)]);
        try
        {
            // Waiting for the port opens (and closes) a first, empty forward: the one that carried the data is told by its bytes.
            await Processes.WaitForPortAsync(local);
            var sent = RandomNumberGenerator.GetBytes(Tunnelled);
            using (var client = new TcpClient())
            {
                await client.ConnectAsync(IPAddress.Loopback, local);
                var stream = client.GetStream();
                var receiving = ReadAllAsync(stream);
                await stream.WriteAsync(sent);
                client.Client.Shutdown(SocketShutdown.Send);
                var received = await receiving.WaitAsync(TimeSpan.FromMinutes(3));
                Assert.Equal(Tunnelled, received.Length);
                Assert.Equal(SHA256.HashData(sent), SHA256.HashData(received));
            }

            var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { BytesFromClient: > 0 } c && c.UserName == user.Name);
            var opened = (ForwardingOpened)(await stack.BrokerEventsAsync(e => e is ForwardingOpened o && o.ForwardingId == closed.ForwardingId)).Single();
            Assert.Equal((target, SshTarget.Login, ForwardingKind.Local, "127.0.0.1", destination.Port),
                (opened.Target, opened.Login, opened.Kind, opened.DestinationHost, opened.DestinationPort));
            Assert.Equal("127.0.0.1", opened.OriginatorAddress);
            Assert.NotEqual(0, opened.OriginatorPort);
            Assert.Equal(((long)Tunnelled, (long)Tunnelled), (closed.BytesFromClient, closed.BytesToClient));
            Assert.Equal(ForwardingEndReason.ClientClosed, closed.EndReason);
            Assert.True(closed.Duration > TimeSpan.Zero);
        }
        finally
        {
            ssh.Kill();
        }
    }

    [Fact]
    public async Task Should_close_an_open_forward_when_the_users_access_is_withdrawn()
    {
        await using var destination = EchoServer.Start();
        var (user, target) = await GrantedAsync("fwdwd", forwardTo: [$"127.0.0.1:{destination.Port}"]);
        var local = Processes.FreePort();
        using var ssh = Start([.. OpenSsh.Options(stack, user), "-N", "-L", $"127.0.0.1:{local}:127.0.0.1:{destination.Port}", OpenSsh.Destination(user, target)]);
        try
        {
            await Processes.WaitForPortAsync(local);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, local);
            var stream = client.GetStream();
            await stream.WriteAsync("ping"u8.ToArray());
            var echoed = new byte[4];
            await stream.ReadExactlyAsync(echoed);

            await stack.DisableAsync(user);

            var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { BytesFromClient: 4 } c && c.UserName == user.Name);
            Assert.Equal((ForwardingEndReason.AccessWithdrawn, 4L), (closed.EndReason, closed.BytesToClient));
            Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            ssh.Kill();
        }
    }

    [Fact]
    public async Task Should_relay_stdin_and_stdout_with_ssh_W()
    {
        await using var destination = EchoServer.Start(upperCase: true);
        var (user, target) = await GrantedAsync("fwdw", forwardTo: ["localhost:*", $"127.0.0.1:{destination.Port}"]);

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user), "-W", $"127.0.0.1:{destination.Port}", OpenSsh.Destination(user, target)],
            Encoding.UTF8.GetBytes("through the gate\n"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("THROUGH THE GATE\n", result.Text);
        var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed c && c.UserName == user.Name);
        Assert.Equal((17L, 17L), (closed.BytesFromClient, closed.BytesToClient));
    }

    [Fact]
    public async Task Should_refuse_a_destination_the_grant_does_not_list_and_say_why()
    {
        await using var destination = EchoServer.Start();
        var (user, target) = await GrantedAsync("fwdout", forwardTo: ["127.0.0.1:1"]);

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user, logLevel: "INFO"), "-W", $"127.0.0.1:{destination.Port}",
            OpenSsh.Destination(user, target)], []);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"administratively prohibited: gatehouse: port forwarding to 127.0.0.1:{destination.Port} is refused: it is not a destination your grant", result.Error);
        var refused = (ForwardingRefused)await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name);
        Assert.Equal((ForwardingKind.Local, ForwardingRefusalReason.DestinationNotListed, "127.0.0.1", destination.Port),
            (refused.Kind, refused.Reason, refused.DestinationHost, refused.DestinationPort));
        Assert.Equal(0, destination.Accepted);
    }

    [Fact]
    public async Task Should_refuse_any_forward_under_a_grant_without_port_forwarding()
    {
        await using var destination = EchoServer.Start();
        var (user, target) = await GrantedAsync("fwdno", forwardTo: null);

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user, logLevel: "INFO"), "-W", $"127.0.0.1:{destination.Port}",
            OpenSsh.Destination(user, target)], []);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("does not allow port forwarding", result.Error);
        var refused = (ForwardingRefused)await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name);
        Assert.Equal(ForwardingRefusalReason.NotAllowedByGrant, refused.Reason);
        Assert.Equal(0, destination.Accepted);
    }

    [Fact]
    public async Task Should_refuse_a_destination_the_target_cannot_reach_with_the_targets_reason()
    {
        var closedPort = Processes.FreePort();
        var (user, target) = await GrantedAsync("fwdtgt", forwardTo: [$"127.0.0.1:{closedPort}"]);

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user, logLevel: "INFO"), "-W", $"127.0.0.1:{closedPort}",
            OpenSsh.Destination(user, target)], []);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"open failed: connect failed: gatehouse: port forwarding to 127.0.0.1:{closedPort} failed: {target}:", result.Error);
        var refused = (ForwardingRefused)await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name);
        Assert.Equal(ForwardingRefusalReason.TargetRefused, refused.Reason);
    }

    [Fact]
    public async Task Should_refuse_remote_agent_and_x11_forwarding_with_an_event_each()
    {
        var (user, target) = await GrantedAsync("fwdrax", forwardTo: ["127.0.0.1:*"]);
        var agentSocket = Path.Combine(stack.Work, $"agent-{Guid.NewGuid():N}.sock");
        using var agent = Process.Start("ssh-agent", ["-D", "-a", agentSocket])!;
        try
        {
            for (var i = 0; !File.Exists(agentSocket) && i < 200; i++)
            {
                await Task.Delay(50);
            }

            var result = await OpenSsh.SshAsync(stack, user, target, "echo ran", logLevel: "INFO",
                extraOptions: ["-R", "127.0.0.1:18023:127.0.0.1:22", "-A", "-X"],
                environment: new Dictionary<string, string> { ["DISPLAY"] = "127.0.0.1:99", ["SSH_AUTH_SOCK"] = agentSocket });

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal("ran\n", result.Text);
            Assert.Contains("remote port forwarding failed for listen port 18023", result.Error);
            Assert.Contains("gatehouse: agent forwarding (ssh -A) is refused", result.Error);
            Assert.Contains("gatehouse: X11 forwarding (ssh -X) is refused", result.Error);
        }
        finally
        {
            agent.Kill();
        }

        // The grant lists no port for ssh -R; agent and X11 forwarding are never offered.
        foreach (var (kind, reason) in new[]
                 {
                     (ForwardingKind.Remote, ForwardingRefusalReason.NotAllowedByGrant), (ForwardingKind.Agent, ForwardingRefusalReason.NotOffered),
                     (ForwardingKind.X11, ForwardingRefusalReason.NotOffered),
                 })
        {
            var refused = (ForwardingRefused)await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name && r.Kind == kind);
            Assert.Equal((target, reason), (refused.Target, refused.Reason));
        }
    }

    [Fact]
    public async Task Should_close_an_open_forward_when_its_grant_is_revoked()
    {
        await using var open = await OpenForwardAsync("fwdrv");

        await stack.RevokeGrantAsync(open.GrantId, "no more tunnels");

        var closed = await open.ClosedAsync();
        Assert.Equal(ForwardingEndReason.AccessWithdrawn, closed.EndReason);
        Assert.Contains("revoked", closed.EndedBecause);
    }

    [Fact]
    public async Task Should_close_an_open_forward_an_operator_terminates_by_its_forwarding_id()
    {
        await using var open = await OpenForwardAsync("fwdtm");
        var opened = await open.OpenedAsync();

        // As `gatehouse sessions terminate <forwarding id>` does.
        var answer = await stack.BrokerAdmin.PostAsJsonAsync($"api/sessions/{opened.ForwardingId}/terminate", new { reason = "exfiltration suspected" });

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        var ended = await open.ClosedAsync();
        Assert.Equal(ForwardingEndReason.Terminated, ended.EndReason);
        Assert.Matches("^terminated by .+: exfiltration suspected$", ended.EndedBecause);
    }

    [Fact]
    public async Task Should_close_an_open_forward_at_its_grants_maximum_session_length()
    {
        await using var open = await OpenForwardAsync("fwdmx", TimeSpan.FromSeconds(3));

        var closed = await open.ClosedAsync();
        Assert.Equal(ForwardingEndReason.MaxLength, closed.EndReason);
        // Never early: the deadline timer waits until the wall clock, which stamps both events, reads the deadline.
        Assert.InRange(closed.Duration, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));
    }

    private async Task<OpenedForward> OpenForwardAsync(string prefix, TimeSpan? maxSessionLength = null)
    {
        var user = await stack.CreateUserAsync(prefix);
        var target = await stack.RegisterTargetAsync(prefix);
        return await OpenedForward.OpenAsync(stack, user, target, maxSessionLength);
    }

    private async Task<(GatehouseUser User, string Target)> GrantedAsync(string prefix, string[]? forwardTo)
    {
        var (user, target, _) = await GrantedWithIdAsync(prefix, forwardTo);
        return (user, target);
    }

    private async Task<(GatehouseUser User, string Target, Guid GrantId)> GrantedWithIdAsync(string prefix, string[]? forwardTo,
        TimeSpan? maxSessionLength = null)
    {
        var user = await stack.CreateUserAsync(prefix);
        var target = await stack.RegisterTargetAsync(prefix);
        var grantId = await stack.GrantAsync(user, target, maxSessionLength: maxSessionLength, forwardTo: forwardTo);
        return (user, target, grantId);
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


    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var all = new MemoryStream();
        await stream.CopyToAsync(all);
        return all.ToArray();
    }
}
