using Gatehouse.Audit.Storing;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.Audit.Tests.Storing;

/// <summary>What <see cref="AccessEventConsumer{TEvent}"/> accepts into the audit store, on the in-memory test harness and the real store.</summary>
public class When_an_event_is_stored_without_a_broker(AnEmptyAuditStoreOnTheTestHarness audit)
    : IClassFixture<AnEmptyAuditStoreOnTheTestHarness>
{
    private readonly string _correlationId = Guid.NewGuid().ToString();

    [Fact]
    public async Task Should_store_a_valid_event_once_however_often_it_arrives()
    {
        var login = SampleEvents.LoginSucceeded("hv-erin", _correlationId);

        await PublishAsync(login);
        await WaitUntilAsync(() => audit.Harness.Consumed.Select<LoginSucceeded>(m => m.Context.Message.CorrelationId == _correlationId).Any());
        await PublishAsync(login);
        // The harness lists a message id once, so the second delivery is seen by what the consumer says of it.
        await WaitUntilAsync(() => audit.Logs.Lines.Any(line => line.Contains($"{login.EventId} was already in the audit store")));

        Assert.All(audit.Harness.Consumed.Select<LoginSucceeded>(m => m.Context.Message.CorrelationId == _correlationId), m => Assert.Null(m.Exception));
        Assert.Equal(login.EventId, Assert.Single(await audit.EventsAsync(_correlationId)).Id);
    }

    [Theory]
    [InlineData("no event id", "has no event id")]
    [InlineData("another message id", "arrived with a different message id")]
    [InlineData("a time in the future", "has an impossible time")]
    [InlineData("no time", "has an impossible time")]
    [InlineData("no actor", "has no valid actor")]
    [InlineData("a source that is not an address", "has a source address that is not an IP address")]
    public async Task Should_refuse_an_event_with_a_fault_and_store_nothing(string with, string why)
    {
        var valid = SampleEvents.LoginSucceeded("hv-erin", _correlationId);
        var invalid = with switch
        {
            "no event id" => valid with { EventId = Guid.Empty },
            "a time in the future" => valid with { OccurredAt = DateTimeOffset.UtcNow.AddHours(1) },
            "no time" => valid with { OccurredAt = default },
            "no actor" => valid with { Actor = " " },
            "a source that is not an address" => valid with { SourceAddress = "gateway.example" },
            _ => valid,
        };

        await PublishAsync(invalid, messageId: with == "another message id" ? Guid.NewGuid() : invalid.EventId);

        await WaitUntilAsync(() => audit.Harness.Published.Select<Fault<LoginSucceeded>>(f => f.Context.Message.Message.CorrelationId == _correlationId).Any());
        var fault = audit.Harness.Published.Select<Fault<LoginSucceeded>>(f => f.Context.Message.Message.CorrelationId == _correlationId).First();
        Assert.Contains(fault.Context.Message.Exceptions, e => e.ExceptionType == typeof(ArgumentException).FullName && e.Message.Contains(why));
        Assert.Empty(await audit.EventsAsync(_correlationId));
    }

    // Polled rather than the harness's Any, which stops waiting for good once the bus has been idle a while (as it is
    // between the tests that share the fixture).
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within a minute");
            await Task.Delay(50);
        }
    }

    // The forwarder sends each event with its event id as the message id, which the consumer checks.
    private Task PublishAsync(LoginSucceeded login, Guid? messageId = null) =>
        audit.Harness.Bus.Publish(login, context => context.MessageId = messageId ?? login.EventId);
}
