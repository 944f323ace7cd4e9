using System.Net.Http.Json;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Audit.Tests.EventPipeline;

/// <summary>
/// Starts with an empty audit store fed over RabbitMQ by a producing service: the real Audit service and the producer,
/// each in a fresh schema, on this run's virtual host.
/// </summary>
public sealed class AnAuditStoreFedByAProducer : IAsyncLifetime
{
    private readonly string _auditSchema = Infrastructure.UniqueSchema("audit");
    private readonly string _producerSchema = Infrastructure.UniqueSchema("producer");

    public WebApplicationFactory<Program> Audit { get; private set; } = null!;

    public string AuditSchema => _auditSchema;
    public ProducingService Producer { get; private set; } = null!;

    /// <summary>Pages are sent here: a generic webhook for every alert, a PagerDuty-shaped one for critical alerts.</summary>
    public RefusingWebhook Webhooks { get; private set; } = null!;

    /// <summary>Pages about users whose name starts with this are refused every time, as by a receiver that stays down.</summary>
    public const string UnpagedUsers = "unpaged";

    /// <summary>What the Audit instances log.</summary>
    public CapturedLog Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Webhooks = await RefusingWebhook.StartAsync(
            refuseFirst: 2,
            deliveryOf: page => (page["alertId"] ?? page["dedup_key"])!.ToString(),
            refuseAlways: page => ((page["userName"] ?? page["payload"]?["custom_details"]?["userName"])?.ToString() ?? "").StartsWith(UnpagedUsers, StringComparison.Ordinal));
        await StartAuditAsync();
        Producer = await ProducingService.StartAsync(_producerSchema);
    }

    public async Task StopAuditAsync() => await Audit.DisposeAsync();

    /// <summary>Starts the Audit service (again) on the same schema, as after a restart.</summary>
    public Task StartAuditAsync()
    {
        Audit = StartAnotherAudit();
        return Task.CompletedTask;
    }

    /// <summary>An Audit instance on the same store and queue, as a second replica would be.</summary>
    public WebApplicationFactory<Program> StartAnotherAudit() => AuditService.Start(_auditSchema, new Dictionary<string, string?>
    {
        ["Gatehouse:Audit:Paging:FirstRetryDelay"] = "00:00:00.100",
        ["Gatehouse:Audit:Paging:Webhooks:0:Name"] = "soc-generic",
        ["Gatehouse:Audit:Paging:Webhooks:0:Url"] = new Uri(Webhooks.Url, "generic").ToString(),
        ["Gatehouse:Audit:Paging:Webhooks:1:Name"] = "pagerduty",
        ["Gatehouse:Audit:Paging:Webhooks:1:Url"] = new Uri(Webhooks.Url, "pagerduty").ToString(),
        ["Gatehouse:Audit:Paging:Webhooks:1:Format"] = "PagerDuty",
        ["Gatehouse:Audit:Paging:Webhooks:1:RoutingKey"] = "test-routing-key",
        ["Gatehouse:Audit:Paging:Webhooks:1:Severities:0"] = "Critical",
        ["Gatehouse:Audit:RecordingsDirectory"] = RecordingsDirectory,
    }, services => services.AddSingleton<ILoggerProvider>(Logs));

    /// <summary>Where the Audit service looks for session recordings, as the SessionBroker files them.</summary>
    public string RecordingsDirectory { get; } = Directory.CreateTempSubdirectory("gatehouse-recordings-").FullName;

    public async Task<IReadOnlyList<AuditEntry>> EventsAsync(string query)
    {
        using var client = Audit.Analyst();
        var all = new List<AuditEntry>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<QueryAuditEvents.Page>(
                $"/api/audit/events?{query}&limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(page!.Events);
            cursor = page.NextCursor;
        } while (cursor is not null);

        return all;
    }

    /// <summary>Polls the audit store until the correlation id has at least <paramref name="count"/> events, or the time runs out.</summary>
    public async Task<IReadOnlyList<AuditEntry>> WaitForEventsAsync(string correlationId, int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var events = await EventsAsync($"correlationId={correlationId}");
            if (events.Count >= count || DateTime.UtcNow > deadline)
            {
                return events;
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Producer.DisposeAsync();
        await Audit.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_auditSchema);
        await Infrastructure.DropSchemaAsync(_producerSchema);
        Directory.Delete(RecordingsDirectory, recursive: true);
    }
}

/// <summary>The pipeline tests share one Audit queue, and some stop the broker: they run alone, one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AnAuditStoreFedByAProducerCollection : ICollectionFixture<AnAuditStoreFedByAProducer>
{
    public const string Name = "event pipeline";
}
