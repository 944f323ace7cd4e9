using Gatehouse.Contracts.Sessions;
using Gatehouse.SessionBroker.Sessions.TerminatingSession;
using MassTransit;
using MassTransit.Testing;

namespace Gatehouse.SessionBroker.Tests.Sessions.TerminatingSession;

/// <summary><see cref="TerminateSession"/> as <see cref="TerminateSessionConsumer"/> takes it off the bus.</summary>
public class When_a_terminate_command_arrives
{
    [Theory]
    [InlineData("", "incident 42")]
    [InlineData("sam-analyst", " ")]
    public async Task Should_refuse_a_command_that_does_not_say_who_asks_and_why(string requestedBy, string reason)
    {
        await using var gateway = await AGatewayWithNoLiveSessions.StartAsync();

        await gateway.Harness.Bus.Publish(new TerminateSession(Guid.NewGuid(), requestedBy, reason));

        Assert.True(await gateway.Harness.Published.Any<Fault<TerminateSession>>());
    }

    [Fact]
    public async Task Should_leave_a_session_this_instance_does_not_hold_to_the_instance_that_does()
    {
        await using var gateway = await AGatewayWithNoLiveSessions.StartAsync();

        await gateway.Harness.Bus.Publish(new TerminateSession(Guid.NewGuid(), "sam-analyst", "incident 42"));

        Assert.True(await gateway.Harness.GetConsumerHarness<TerminateSessionConsumer>().Consumed.Any<TerminateSession>());
        Assert.False(await gateway.Harness.Published.Any<Fault<TerminateSession>>());
    }
}
