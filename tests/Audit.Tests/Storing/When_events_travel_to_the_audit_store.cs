using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Telemetry;
using Gatehouse.TestSupport;
using MassTransit;

using Gatehouse.Audit.Tests.EventPipeline;

namespace Gatehouse.Audit.Tests.Storing;

[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_events_travel_to_the_audit_store(AnAuditStoreFedByAProducer pipeline)
{
    private static string NewCorrelationId() => Guid.NewGuid().ToString();

    [Fact]
    public async Task Should_store_an_event_appended_in_a_service_once_with_its_trace()
    {
        var correlationId = NewCorrelationId();
        var login = SampleEvents.LoginSucceeded("alice", correlationId);
        string traceId;
        using (var activity = GatehouseTelemetry.ActivitySource.StartActivity("login"))
        {
            Assert.NotNull(activity);
            traceId = activity.TraceId.ToHexString();
            await pipeline.Producer.AppendAsync([login]);
        }

        var stored = Assert.Single(await pipeline.WaitForEventsAsync(correlationId, 1));
        Assert.Equal(login.EventId, stored.Id);
        Assert.Equal(nameof(LoginSucceeded), stored.Type);
        Assert.Equal("alice", stored.Actor);
        Assert.Equal(traceId, stored.TraceId);
        Assert.Equal("alice", stored.Data.GetProperty("userName").GetString());
    }

    [Fact]
    public async Task Should_deliver_every_event_appended_while_the_broker_is_down_once_after_it_restarts()
    {
        var correlationId = NewCorrelationId();
        var events = Enumerable.Range(1, 1000).Select(i => SampleEvents.CommandExecuted("bob", correlationId, i)).ToList();

        await Infrastructure.StopRabbitMqAsync();
        try
        {
            foreach (var chunk in events.Chunk(100))
            {
                await pipeline.Producer.AppendAsync(chunk);
            }
        }
        finally
        {
            await Infrastructure.StartRabbitMqAsync();
        }

        var stored = await pipeline.WaitForEventsAsync(correlationId, 1000, TimeSpan.FromMinutes(2));
        AssertExactlyOnce(events, stored.Select(e => e.Id));
    }

    [Fact]
    public async Task Should_deliver_events_produced_while_the_audit_service_is_down_once_when_it_returns()
    {
        var correlationId = NewCorrelationId();
        var events = Enumerable.Range(1, 1000).Select(i => SampleEvents.CommandExecuted("carol", correlationId, i)).ToList();

        await pipeline.StopAuditAsync();
        try
        {
            foreach (var chunk in events.Chunk(100))
            {
                await pipeline.Producer.AppendAsync(chunk);
            }
        }
        finally
        {
            await pipeline.StartAuditAsync();
        }

        var stored = await pipeline.WaitForEventsAsync(correlationId, 1000, TimeSpan.FromMinutes(2));
        AssertExactlyOnce(events, stored.Select(e => e.Id));
    }

    [Fact]
    public async Task Should_store_the_same_message_delivered_ten_times_once()
    {
        var correlationId = NewCorrelationId();
        var failure = SampleEvents.LoginFailed("dave", correlationId);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            pipeline.Producer.Bus.Publish(failure, context => context.MessageId = failure.EventId)));

        // A later event on the same correlation id shows the ten copies have been handled before it.
        var marker = SampleEvents.LoginSucceeded("dave", correlationId);
        await pipeline.Producer.AppendAsync([marker]);
        await pipeline.WaitForEventsAsync(correlationId, 2);
        await WaitForQueueToDrainAsync(AccessEventConsumerDefinition<LoginFailed>.QueueName);

        var stored = await pipeline.EventsAsync($"correlationId={correlationId}");
        Assert.Single(stored, e => e.Id == failure.EventId);
        Assert.Single(stored, e => e.Id == marker.EventId);
    }

    [Fact]
    public async Task Should_send_a_malformed_message_to_the_error_queue_and_keep_everything_else_flowing()
    {
        var errorQueue = AccessEventConsumerDefinition<LoginFailed>.QueueName + "_error";
        var errorsBefore = await QueueDepthAsync(errorQueue);

        // Not JSON at all, straight onto the audit queue.
        await PublishRawAsync(AccessEventConsumerDefinition<LoginFailed>.QueueName, "this is not an event {");
        // Well-formed, but with no event id: refused by validation, not retried.
        var correlationId = NewCorrelationId();
        var invalid = SampleEvents.LoginFailed("erin", correlationId) with { EventId = Guid.Empty };
        await pipeline.Producer.Bus.Publish(invalid);

        var valid = SampleEvents.LoginSucceeded("erin", correlationId);
        await pipeline.Producer.AppendAsync([valid]);

        var stored = Assert.Single(await pipeline.WaitForEventsAsync(correlationId, 1));
        Assert.Equal(valid.EventId, stored.Id);
        await WaitUntilAsync(async () => await QueueDepthAsync(errorQueue) >= errorsBefore + 2, TimeSpan.FromSeconds(30));
        Assert.Equal(errorsBefore + 2, await QueueDepthAsync(errorQueue));
    }

    private static void AssertExactlyOnce(IReadOnlyList<IAccessEvent> appended, IEnumerable<Guid> stored)
    {
        var storedIds = stored.ToList();
        Assert.Equal(appended.Count, storedIds.Count);
        Assert.Equal(appended.Select(e => e.EventId).Order(), storedIds.Order());
    }

    private static async Task PublishRawAsync(string queue, string body)
    {
        using var client = Infrastructure.RabbitMqManagement();
        var response = await client.PostAsJsonAsync(
            $"exchanges/{Uri.EscapeDataString(Infrastructure.TestVirtualHost)}/amq.default/publish",
            new
            {
                properties = new { content_type = "application/vnd.masstransit+json", delivery_mode = 2 },
                routing_key = queue,
                payload = body,
                payload_encoding = "string",
            });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<long> QueueDepthAsync(string queue)
    {
        using var client = Infrastructure.RabbitMqManagement();
        var response = await client.GetAsync($"queues/{Uri.EscapeDataString(Infrastructure.TestVirtualHost)}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        var queueInfo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return queueInfo["messages"]?.GetValue<long>() ?? 0;
    }

    private static Task WaitForQueueToDrainAsync(string queue) =>
        WaitUntilAsync(async () => await QueueDepthAsync(queue) == 0, TimeSpan.FromSeconds(30));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition() && stopwatch.Elapsed < within)
        {
            await Task.Delay(500);
        }
    }
}
