using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>
/// ssh shares one connection between invocations (ControlMaster): access is decided for every session opened over it,
/// and withdrawing access ends the sessions already open. The stack's idle timeout is 8 s, so a live session here keeps
/// printing, and each end is told apart from the idle timeout by its reason.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_access_is_withdrawn_from_a_live_connection(GatehouseStack stack, ITestOutputHelper output)
{
    private const string Ticking = "while true; do echo tick; sleep 0.5; done";

    [Fact]
    public async Task Should_refuse_a_new_session_over_the_shared_connection_after_disable_and_revoke()
    {
        var (user, target, grant, control) = await ArrangeAsync("muxoff");
        try
        {
            Assert.Equal(0, (await SshAsync(user, target, "true")).ExitCode);
            var again = await SshAsync(user, target, "echo again");
            Assert.Equal("again\n", again.Text);

            await stack.DisableAsync(user);
            await stack.RevokeGrantAsync(grant, "left the team");

            var direct = await OpenSsh.SshAsync(stack, user, target, "true", timeout: TimeSpan.FromSeconds(30));
            Assert.Equal(255, direct.ExitCode);
            var shared = await SshAsync(user, target, "echo should-not-run");

            Assert.NotEqual(0, shared.ExitCode);
            Assert.DoesNotContain("should-not-run", shared.Text);
            Assert.Contains($"gatehouse: access to {target} as {SshTarget.Login} is refused", shared.Error);
            // All three went over the one connection the first opened: one login, two sessions, one refusal.
            var events = await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name || e is SessionRefused r && r.UserName == user.Name);
            Assert.Equal(2, events.OfType<SessionStarted>().Count());
            var refused = Assert.Single(events.OfType<SessionRefused>());
            Assert.Single(events.Select(e => e.CorrelationId).Distinct());
            Assert.Equal(SessionRefusalReason.AccessRefused, refused.Reason);
        }
        finally
        {
            await OpenSsh.StopMultiplexingAsync(stack, user, target, control);
        }
    }

    [Fact]
    public async Task Should_end_a_live_shell_within_seconds_of_the_user_being_disabled()
    {
        var (user, target, _, control) = await ArrangeAsync("muxdis");
        try
        {
            Assert.Equal(0, (await SshAsync(user, target, "true")).ExitCode);
            await using var shell = InteractiveSsh.Start(stack, user, target, extraOptions: OpenSsh.Multiplexed(control));
            await shell.TypeAsync("echo ready-$((1+1))\r");
            await shell.WaitForAsync("ready-2");
            await shell.TypeAsync($"{Ticking}\r");
            await shell.WaitForAsync("tick");

            var clock = Stopwatch.StartNew();
            await stack.DisableAsync(user);
            var exit = await shell.WaitForExitAsync();
            clock.Stop();
            output.WriteLine($"users disable -> shell ended: {clock.Elapsed.TotalMilliseconds:F0} ms");

            Assert.Equal(255, exit);
            Assert.Contains("gatehouse: this session was terminated by gatehouse: user disabled", shell.Output);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"took {clock.Elapsed}, as long as the idle timeout");
            await AssertTerminatedAsync(user, "user disabled");
        }
        finally
        {
            await OpenSsh.StopMultiplexingAsync(stack, user, target, control);
        }
    }

    [Fact]
    public async Task Should_end_a_live_session_within_seconds_of_its_grant_being_revoked()
    {
        var (user, target, grant, control) = await ArrangeAsync("muxrev");
        try
        {
            Assert.Equal(0, (await SshAsync(user, target, "true")).ExitCode);
            var session = SshAsync(user, target, Ticking);
            await WaitForLiveAsync(user);

            var clock = Stopwatch.StartNew();
            await stack.RevokeGrantAsync(grant, "project over");
            var result = await session;
            clock.Stop();
            output.WriteLine($"grants revoke -> session ended: {clock.Elapsed.TotalMilliseconds:F0} ms");

            Assert.Equal(255, result.ExitCode);
            Assert.StartsWith("tick\n", result.Text);
            Assert.Contains($"gatehouse: this session was terminated by gatehouse: grant {grant} revoked", result.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"took {clock.Elapsed}");
            await AssertTerminatedAsync(user, $"grant {grant} revoked");
        }
        finally
        {
            await OpenSsh.StopMultiplexingAsync(stack, user, target, control);
        }
    }

    [Fact]
    public async Task Should_end_a_live_session_and_refuse_new_ones_when_the_key_it_signed_in_with_is_removed()
    {
        var (user, target, _, control) = await ArrangeAsync("muxkey");
        try
        {
            Assert.Equal(0, (await SshAsync(user, target, "true")).ExitCode);
            var session = SshAsync(user, target, Ticking);
            await WaitForLiveAsync(user);

            var clock = Stopwatch.StartNew();
            var fingerprint = await stack.RemoveKeyAsync(user);
            var result = await session;
            clock.Stop();
            output.WriteLine($"users remove-key -> session ended: {clock.Elapsed.TotalMilliseconds:F0} ms");

            Assert.Equal(255, result.ExitCode);
            Assert.Contains($"gatehouse: this session was terminated by gatehouse: key {fingerprint} removed", result.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"took {clock.Elapsed}");
            await AssertTerminatedAsync(user, $"key {fingerprint} removed");
            // The grant still covers the user, but the connection's key is gone: nothing new opens over it.
            var shared = await SshAsync(user, target, "echo should-not-run");
            Assert.NotEqual(0, shared.ExitCode);
            Assert.DoesNotContain("should-not-run", shared.Text);
            Assert.Contains($"key {fingerprint} removed", shared.Error);
        }
        finally
        {
            await OpenSsh.StopMultiplexingAsync(stack, user, target, control);
        }
    }

    [Fact]
    public async Task Should_end_a_live_session_when_the_user_leaves_the_role_its_grant_names()
    {
        var user = await stack.CreateUserAsync("muxrole");
        var target = await stack.RegisterTargetAsync("mux");
        var role = $"ops{Guid.NewGuid():N}"[..12];
        await CheckAsync(stack.AuthorizationAdmin.PostAsJsonAsync("api/roles", new { name = role, description = "on call" }));
        await CheckAsync(stack.AuthorizationAdmin.PutAsync($"api/roles/{role}/members/{user.Name}", null));
        await CheckAsync(stack.AuthorizationAdmin.PostAsJsonAsync("api/grants", new
        {
            subjectKind = "Role", subject = role, targetNames = new[] { target }, logins = new[] { SshTarget.Login },
        }, GatehouseStack.Json));
        var control = Directory.CreateTempSubdirectory("cm-").FullName;
        _controls[user.Name] = control;
        try
        {
            Assert.Equal(0, (await SshAsync(user, target, "true")).ExitCode);
            var session = SshAsync(user, target, Ticking);
            await WaitForLiveAsync(user);

            var clock = Stopwatch.StartNew();
            await CheckAsync(stack.AuthorizationAdmin.DeleteAsync($"api/roles/{role}/members/{user.Name}"));
            var result = await session;
            clock.Stop();
            output.WriteLine($"roles remove-member -> session ended: {clock.Elapsed.TotalMilliseconds:F0} ms");

            Assert.Equal(255, result.ExitCode);
            Assert.Contains($"gatehouse: this session was terminated by gatehouse: removed from role {role}: access to {target} as {SshTarget.Login} is refused",
                result.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"took {clock.Elapsed}");
        }
        finally
        {
            await OpenSsh.StopMultiplexingAsync(stack, user, target, control);
        }
    }

    [Fact]
    public async Task Should_apply_a_deny_policy_added_meanwhile_to_the_next_typed_line()
    {
        var (user, target, _, control) = await ArrangeAsync("muxpol");
        var marker = $"late{Guid.NewGuid():N}"[..12];
        var policy = $"no-{marker}";
        try
        {
            Assert.Equal(0, (await SshAsync(user, target, "true")).ExitCode);
            await using var shell = InteractiveSsh.Start(stack, user, target, extraOptions: OpenSsh.Multiplexed(control));
            await shell.TypeAsync($"echo {marker}-$((1+1))\r");
            await shell.WaitForAsync($"{marker}-2");

            await stack.DenyCommandsAsync(policy, $"echo {marker}*");
            // The policy reaches the gateway over the bus: a line typed before that still runs, so type lines one by one,
            // each after the last one's outcome (its output, or a refusal), and count those that ran.
            // Typed through a multiplexed connection from a pipe, the target does not echo what is typed, so the gateway
            // tells the user its refusal of a line typed without echo (which does not repeat the line); the event names the policy.
            int Refusals() => Regex.Count(shell.Output, "is blocked by policy|a line typed without echo was not passed on");
            var clock = Stopwatch.StartNew();
            var ran = 0;
            for (var round = 1; Refusals() == 0 && clock.Elapsed < TimeSpan.FromSeconds(20); round++)
            {
                await shell.TypeAsync($"echo {marker}-$(({round}+10))\r");
                var outcome = Stopwatch.StartNew();
                while (Refusals() == 0 && !shell.Output.Contains($"{marker}-{round + 10}") && outcome.Elapsed < TimeSpan.FromSeconds(5))
                {
                    await Task.Delay(20);
                }

                ran += shell.Output.Contains($"{marker}-{round + 10}") ? 1 : 0;
            }

            output.WriteLine($"policy added -> {ran} line(s) ran before the first refusal, {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.True(Refusals() > 0, shell.Output);
            Assert.True(ran <= 2, $"{ran} lines ran after the policy was added");
            // Keys only the shell follows are refused from now on, as in a session opened under a policy.
            await shell.TypeAsync("echo still-$((5+5))\r");
            await shell.WaitForAsync("still-10");
            await shell.TypeAsync("\x1b[A\r");
            await shell.WaitForAsync("history (Up/Down/PgUp/PgDn) is not followed");

            // The user is told before the block is recorded.
            await WaitForAsync(async () => (await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name && b.PolicyName == policy)).Any());

            // A new session over the same connection is under it from its first line.
            var exec = await SshAsync(user, target, $"echo {marker}-exec");
            Assert.Equal(126, exec.ExitCode);
            Assert.Contains("is blocked by policy", exec.Error);
        }
        finally
        {
            await stack.RemoveCommandPolicyAsync(policy);
            await OpenSsh.StopMultiplexingAsync(stack, user, target, control);
        }
    }

    private static async Task CheckAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(GatehouseUser User, string Target, Guid Grant, string Control)> ArrangeAsync(string prefix)
    {
        var (user, target, grant) = await stack.AUserWithAGrantAsync(prefix, "mux");
        // A socket path has room for about 100 characters: a short folder of its own.
        var control = Directory.CreateTempSubdirectory("cm-").FullName;
        _controls[user.Name] = control;
        return (user, target, grant, control);
    }

    private Task<ProcessResult> SshAsync(GatehouseUser user, string target, string command) =>
        OpenSsh.SshAsync(stack, user, target, command, extraOptions: OpenSsh.Multiplexed(ControlDirectoryOf(user)),
            timeout: TimeSpan.FromSeconds(30));

    private readonly Dictionary<string, string> _controls = [];

    private string ControlDirectoryOf(GatehouseUser user) => _controls[user.Name];

    /// <summary>Waits until the user's ticking session printed something.</summary>
    private Task WaitForLiveAsync(GatehouseUser user)
    {
        var live = stack.Broker.GetRequiredService<LiveSessions>();
        return WaitForAsync(() => Task.FromResult(live.List().Any(s => s.UserName == user.Name && s.Command == Ticking && s.BytesToClient > 0)));
    }

    private static async Task WaitForAsync(Func<Task<bool>> probe)
    {
        var clock = Stopwatch.StartNew();
        while (!await probe())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "it never happened");
            await Task.Delay(100);
        }
    }

    private async Task AssertTerminatedAsync(GatehouseUser user, string reason)
    {
        var events = await stack.BrokerEventsAsync(e => e is SessionTerminated t && t.UserName == user.Name || e is SessionEnded s && s.UserName == user.Name);
        var terminated = Assert.Single(events.OfType<SessionTerminated>());
        Assert.Equal("gatehouse", terminated.TerminatedBy);
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal(SessionEndReason.Terminated, events.OfType<SessionEnded>().Single(e => e.SessionId == terminated.SessionId).EndReason);
    }
}
