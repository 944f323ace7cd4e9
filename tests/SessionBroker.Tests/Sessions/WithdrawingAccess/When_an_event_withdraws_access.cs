using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using MassTransit;
using MassTransit.Testing;

namespace Gatehouse.SessionBroker.Tests.Sessions.WithdrawingAccess;

/// <summary>The events that withdraw access, as <see cref="AccessWithdrawnConsumer"/> takes them off the bus.</summary>
public class When_an_event_withdraws_access
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;
    private const string Key = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

    [Fact]
    public async Task Should_apply_every_withdrawing_event_to_the_live_sessions_once()
    {
        await using var gateway = await AGatewayWithNoLiveSessions.StartAsync();
        var consumer = gateway.Harness.GetConsumerHarness<AccessWithdrawnConsumer>();

        await gateway.Harness.Bus.Publish(new UserDisabled(Guid.NewGuid(), "alice", "admin", null, "c1", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new UserDeleted(Guid.NewGuid(), "alice", "admin", null, "c2", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new PublicKeyRemoved(Guid.NewGuid(), "alice", Key, "admin", null, "c3", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new GrantRevoked(Guid.NewGuid(), GrantSubjectKind.User, "alice", "over", "admin", null, "c4", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new TargetRemoved(Guid.NewGuid(), "web01", "gone", "admin", null, "c5", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new UserRolesChanged(Guid.NewGuid(), "alice", ["user"], "admin", null, "c6", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new RoleMemberRemoved(Guid.NewGuid(), "ops", "alice", "admin", null, "c7", Guid.NewGuid(), At));

        Assert.True(await consumer.Consumed.Any<UserDisabled>());
        Assert.True(await consumer.Consumed.Any<UserDeleted>());
        Assert.True(await consumer.Consumed.Any<PublicKeyRemoved>());
        Assert.True(await consumer.Consumed.Any<GrantRevoked>());
        Assert.True(await consumer.Consumed.Any<TargetRemoved>());
        Assert.True(await consumer.Consumed.Any<UserRolesChanged>());
        Assert.True(await consumer.Consumed.Any<RoleMemberRemoved>());
        Assert.False(await gateway.Harness.Published.Any<Fault>());
        Assert.Equal(7, gateway.Live.AccessChanges);
        // A change of roles changes which command policies apply, too.
        Assert.Equal(2, gateway.Live.PolicyChanges);
    }

    [Fact]
    public async Task Should_refuse_an_event_that_names_no_user_key_or_target_and_change_nothing()
    {
        await using var gateway = await AGatewayWithNoLiveSessions.StartAsync();

        await gateway.Harness.Bus.Publish(new UserDisabled(Guid.NewGuid(), " ", "admin", null, "c1", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new PublicKeyRemoved(Guid.NewGuid(), "alice", "", "admin", null, "c2", Guid.NewGuid(), At));
        await gateway.Harness.Bus.Publish(new TargetRemoved(Guid.NewGuid(), "", "gone", "admin", null, "c3", Guid.NewGuid(), At));

        Assert.True(await gateway.Harness.Published.Any<Fault>());
        Assert.True(await gateway.Harness.Published.Any<Fault<UserDisabled>>());
        Assert.True(await gateway.Harness.Published.Any<Fault<PublicKeyRemoved>>());
        Assert.True(await gateway.Harness.Published.Any<Fault<TargetRemoved>>());
        Assert.Equal(0, gateway.Live.AccessChanges);
    }
}
