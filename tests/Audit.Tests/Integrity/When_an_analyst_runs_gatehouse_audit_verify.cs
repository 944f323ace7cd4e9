using Gatehouse.Audit.Tests.EventPipeline;

namespace Gatehouse.Audit.Tests.Integrity;

/// <summary>The gatehouse CLI against the real Audit service on a real port, token in GATEHOUSE_TOKEN.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_an_analyst_runs_gatehouse_audit_verify
{
    [Fact]
    public async Task Should_report_intact_then_name_the_changed_event_with_exit_code_3()
    {
        await using var store = new SealedStore(onRealPort: true);
        var events = await store.RecordAsync(5);
        await store.VerifyWhenSealedAsync();

        var intact = await Run(store, "audit", "verify");
        Assert.Equal(0, intact.Exit);
        Assert.StartsWith("INTACT", intact.Out);

        await store.AsAdministratorAsync("UPDATE {schema}.mt_events SET data = jsonb_set(data, '{methods}', '\"password\"') WHERE id = $1", events[1].EventId);
        var broken = await Run(store, "audit", "verify");
        Assert.Equal(3, broken.Exit);
        Assert.Contains($"EventChanged: Event {events[1].EventId}", broken.Out);

        var listed = await Run(store, "alerts", "list", "--status", "open");
        Assert.Equal(0, listed.Exit);
    }

    private static Task<(int Exit, string Out, string Error)> Run(SealedStore store, params string[] args) => GatehouseCli.RunAsync(store.Audit, args);
}
