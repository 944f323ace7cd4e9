using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>The stack runs the gateway with a 4-second idle timeout.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_outlives_its_limits(GatehouseStack stack)
{
    [Fact]
    public async Task Should_end_it_at_the_maximum_length_of_its_grant()
    {
        var user = await stack.CreateUserAsync("maxlen");
        var target = await stack.RegisterTargetAsync("short");
        await stack.GrantAsync(user, target, maxSessionLength: TimeSpan.FromSeconds(2));

        var clock = Stopwatch.StartNew();
        var result = await OpenSsh.SshAsync(stack, user, target, "sleep 30", timeout: TimeSpan.FromSeconds(20));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(7));
        Assert.Contains("reached its maximum length", result.Error);
        var ended = (SessionEnded)(await stack.BrokerEventsAsync(e => e is SessionEnded s && s.UserName == user.Name)).Single();
        Assert.Equal("max-length", ended.EndReason);
    }

    [Fact]
    public async Task Should_end_it_when_nothing_moves_for_the_idle_timeout()
    {
        var user = await stack.CreateUserAsync("idle");
        var target = await stack.RegisterTargetAsync("quiet");
        await stack.GrantAsync(user, target);

        var clock = Stopwatch.StartNew();
        var result = await OpenSsh.SshAsync(stack, user, target, "sleep 30", timeout: TimeSpan.FromSeconds(20));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(10));
        Assert.Contains("was idle for", result.Error);
        var ended = (SessionEnded)(await stack.BrokerEventsAsync(e => e is SessionEnded s && s.UserName == user.Name)).Single();
        Assert.Equal("idle-timeout", ended.EndReason);
    }
}
