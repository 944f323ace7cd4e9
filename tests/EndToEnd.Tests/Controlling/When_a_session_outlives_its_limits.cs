using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>The stack runs the gateway with an 8-second idle timeout.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_outlives_its_limits(GatehouseStack stack)
{
    [Fact]
    public async Task Should_end_it_at_the_maximum_length_of_its_grant()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("maxlen", "short", maxSessionLength: TimeSpan.FromSeconds(2));

        var clock = Stopwatch.StartNew();
        var result = await OpenSsh.SshAsync(stack, user, target, "sleep 30", timeout: TimeSpan.FromSeconds(20));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(7));
        Assert.Equal(255, result.ExitCode);
        Assert.Contains("gatehouse: this session reached its maximum length of 2 s at ", result.Error);
        Assert.Contains("and was closed; connect again to go on", result.Error);
        var ended = (SessionEnded)(await stack.BrokerEventsAsync(e => e is SessionEnded s && s.UserName == user.Name)).Single();
        Assert.Equal(SessionEndReason.MaxLength, ended.EndReason);
    }

    [Fact]
    public async Task Should_end_a_terminal_session_at_its_maximum_length_with_a_failing_exit_status()
    {
        // Long enough for the shell to start and echo on a loaded machine (2 s was not, beside other tests), short enough to wait for.
        var (user, target, _) = await stack.AUserWithAGrantAsync("maxpty", "short", maxSessionLength: TimeSpan.FromSeconds(5));

        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await ssh.TypeAsync("echo typed-$((3*3))\r");
        await ssh.WaitForAsync("typed-9");

        Assert.Equal(255, await ssh.WaitForExitAsync());
        Assert.Contains("gatehouse: this session reached its maximum length of 5 s", ssh.Output);
    }

    [Fact]
    public async Task Should_end_it_when_its_grant_expires_and_say_so()
    {
        var user = await stack.CreateUserAsync("expiry");
        var target = await stack.RegisterTargetAsync("expiring");
        // Long enough to sign in on a loaded machine; the ticks keep the session from going idle meanwhile.
        await stack.GrantAsync(user, target, expiresAt: DateTimeOffset.UtcNow.AddSeconds(6));

        var result = await OpenSsh.SshAsync(stack, user, target, "while true; do echo tick; sleep 1; done", timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(255, result.ExitCode);
        Assert.StartsWith("tick\n", result.Text);
        Assert.Contains($"gatehouse: your grant for {target} expired at ", result.Error);
        Assert.Contains("so this session was closed; ask for a new grant to connect again", result.Error);
        Assert.DoesNotContain("maximum length", result.Error);
        var ended = (SessionEnded)(await stack.BrokerEventsAsync(e => e is SessionEnded s && s.UserName == user.Name)).Single();
        Assert.Equal(SessionEndReason.GrantExpired, ended.EndReason);
    }

    [Fact]
    public async Task Should_end_it_when_nothing_moves_for_the_idle_timeout()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("idle", "quiet");

        var clock = Stopwatch.StartNew();
        var result = await OpenSsh.SshAsync(stack, user, target, "sleep 60", timeout: TimeSpan.FromSeconds(40));

        Assert.InRange(clock.Elapsed, stack.IdleTimeout - TimeSpan.FromSeconds(0.5), stack.IdleTimeout + TimeSpan.FromSeconds(6));
        Assert.Equal(255, result.ExitCode);
        Assert.Contains("was idle for", result.Error);
        var ended = (SessionEnded)(await stack.BrokerEventsAsync(e => e is SessionEnded s && s.UserName == user.Name)).Single();
        Assert.Equal(SessionEndReason.IdleTimeout, ended.EndReason);
    }
}
