using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sessions.RefreshingPolicies;
using MassTransit;

namespace Gatehouse.SessionBroker.Tests.Sessions.RefreshingPolicies;

/// <summary>A policy set or removed, as <see cref="CommandPoliciesChangedConsumer"/> takes it off the bus; delivery to every instance is proven end to end.</summary>
public class When_a_command_policy_changes
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task Should_have_the_live_sessions_fetch_their_policies_again_once_per_change_and_leave_access_alone()
    {
        await using var gateway = await AGatewayWithNoLiveSessions.StartAsync();
        var consumer = gateway.Harness.GetConsumerHarness<CommandPoliciesChangedConsumer>();
        var policy = Guid.NewGuid();

        await gateway.Harness.Bus.Publish(new CommandPolicyChanged(policy, "no-shutdown", "shutdown*", CommandPatternKind.Glob,
            CommandPolicyAction.Deny, new Dictionary<string, string>(), [], null, "admin", null, "c1", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new CommandPolicyRemoved(policy, "no-shutdown", "admin", null, "c2", Guid.NewGuid(), At));

        Assert.True(await consumer.Consumed.Any<CommandPolicyChanged>());
        Assert.True(await consumer.Consumed.Any<CommandPolicyRemoved>());
        Assert.False(await gateway.Harness.Published.Any<Fault>());
        Assert.Equal(2, gateway.Live.PolicyChanges);
        Assert.Equal(0, gateway.Live.AccessChanges);
    }
}
