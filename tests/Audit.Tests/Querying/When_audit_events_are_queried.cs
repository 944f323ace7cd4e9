using System.Net;
using System.Net.Http.Json;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Audit.Tests.Querying;

[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_audit_events_are_queried(AnAuditStoreFedByAProducer pipeline)
{
    [Fact]
    public async Task Should_filter_events_by_actor_type_and_time_and_page_them_in_store_order()
    {
        var correlationId = Guid.NewGuid().ToString();
        var actor = $"frank-{Guid.NewGuid():N}"[..20];
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        var events = new List<IAccessEvent>();
        for (var i = 0; i < 5; i++)
        {
            events.Add(SampleEvents.LoginSucceeded(actor, correlationId, start.AddSeconds(i)));
        }

        events.Add(SampleEvents.LoginFailed(actor, correlationId));
        await pipeline.Producer.AppendAsync(events);
        await pipeline.WaitForEventsAsync(correlationId, events.Count);

        using var client = pipeline.Audit.Analyst();
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<QueryAuditEvents.Page>(
                $"/api/audit/events?actor={actor}&type=LoginSucceeded&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page!.Events.Select(e => e.Id));
            Assert.All(page.Events, e => Assert.Equal(nameof(LoginSucceeded), e.Type));
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        Assert.Equal(3, pages);
        // Pages come in the order the events happened, whatever order the bus delivered them in.
        Assert.Equal(events.Take(5).Select(e => e.EventId), seen);

        var window = await client.GetFromJsonAsync<QueryAuditEvents.Page>(
            $"/api/audit/events?actor={actor}&from={Uri.EscapeDataString(start.AddSeconds(1).ToString("O"))}&to={Uri.EscapeDataString(start.AddSeconds(3).ToString("O"))}");
        Assert.Equal(events.Skip(1).Take(2).Select(e => e.EventId), window!.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task Should_find_by_correlation_id_the_events_stored_before_and_after_it_was_written_with_dashes()
    {
        var id = Guid.NewGuid();
        var actor = $"gina-{Guid.NewGuid():N}"[..20];
        // Sealed as they came: the old undashed spelling stays in the store.
        IAccessEvent[] events = [SampleEvents.LoginSucceeded(actor, id.ToString("N")), SampleEvents.LoginSucceeded(actor, id.ToString("D"))];
        await pipeline.Audit.RecordAsync(events);

        using var client = pipeline.Audit.Analyst();
        foreach (var spelling in new[] { id.ToString("D"), id.ToString("N"), id.ToString("D").ToUpperInvariant() })
        {
            var page = await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?correlationId={spelling}");
            Assert.Equal(events.Select(e => e.EventId).Order(), page!.Events.Select(e => e.Id).Order());
        }
    }

    [Theory]
    [InlineData("type=NoSuchEvent", "type")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=99999999999999999999.1", "cursor")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task A_bad_query_gets_a_400_naming_what_is_wrong(string query, string field)
    {
        using var client = pipeline.Audit.Analyst();
        var response = await client.GetAsync($"/api/audit/events?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }
}
