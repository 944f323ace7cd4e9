using System.Text.Json.Nodes;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Audit.Tests.Integrity;

namespace Gatehouse.Audit.Tests.Querying;

/// <summary><c>gatehouse audit events</c> against the real Audit service on a real port.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_an_analyst_searches_with_gatehouse_audit_events
{
    [Fact]
    public async Task Should_filter_by_correlation_id_and_source_and_page_on_with_the_cursor()
    {
        await using var store = new SealedStore(onRealPort: true);
        var events = await store.RecordAsync(3);
        var correlationId = events[0].CorrelationId;

        var first = await GatehouseCli.RunAsync(store.Audit, "audit", "events", "--correlation-id", correlationId, "--source", "127.0.0.1", "--limit", "2");
        Assert.Equal(0, first.Exit);
        var page = JsonNode.Parse(first.Out)!;
        Assert.Equal(2, page["events"]!.AsArray().Count);
        var cursor = page["nextCursor"]!.ToString();

        var second = JsonNode.Parse((await GatehouseCli.RunAsync(store.Audit, "audit", "events", "--correlation-id", correlationId, "--cursor", cursor)).Out)!;
        var ids = page["events"]!.AsArray().Concat(second["events"]!.AsArray()).Select(e => Guid.Parse(e!["id"]!.ToString()));
        Assert.Equal(events.Select(e => e.EventId).Order(), ids.Order());
        Assert.Null(second["nextCursor"]);

        var elsewhere = JsonNode.Parse((await GatehouseCli.RunAsync(store.Audit, "audit", "events", "--correlation-id", correlationId, "--source", "10.0.0.1")).Out)!;
        Assert.Empty(elsewhere["events"]!.AsArray());
        var refused = await GatehouseCli.RunAsync(store.Audit, "audit", "events", "--source", "not-an-address");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("source", refused.Error);
    }

    [Fact]
    public async Task Should_export_only_the_events_the_filters_name()
    {
        await using var store = new SealedStore(onRealPort: true);
        var events = await store.RecordAsync(3);
        var correlationId = events[0].CorrelationId;
        var file = Path.Combine(Path.GetTempPath(), $"gatehouse-export-{Guid.NewGuid():N}.jsonl");

        var exported = await GatehouseCli.RunAsync(store.Audit, "audit", "export", "--correlation-id", correlationId, "--source", "127.0.0.1",
            "--output", file);
        var elsewhere = await GatehouseCli.RunAsync(store.Audit, "audit", "export", "--correlation-id", correlationId, "--source", "10.0.0.1");

        Assert.Equal(0, exported.Exit);
        var lines = await File.ReadAllLinesAsync(file);
        File.Delete(file);
        Assert.Equal(events.Select(e => e.EventId).Order(), lines.Select(line => Guid.Parse(JsonNode.Parse(line)!["id"]!.ToString())).Order());
        Assert.Equal((0, ""), (elsewhere.Exit, elsewhere.Out));
    }
}
