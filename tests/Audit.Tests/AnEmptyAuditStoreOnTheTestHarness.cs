using System.Net.Http.Json;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Audit.Tests;

/// <summary>
/// Starts with no events: the Audit service on the real PostgreSQL (a schema of its own) with MassTransit's in-memory
/// test harness in place of RabbitMQ, for what its consumers decide about a message, which needs no broker. Delivery,
/// redelivery and the error queue over RabbitMQ are proven on <see cref="EventPipeline.AnAuditStoreFedByAProducer"/>.
/// </summary>
public sealed class AnEmptyAuditStoreOnTheTestHarness : IAsyncLifetime
{
    private readonly string _schema = Infrastructure.UniqueSchema("audit_harness");
    private WebApplicationFactory<Program> _audit = null!;

    public ITestHarness Harness => _audit.Services.GetTestHarness();

    /// <summary>What the service logs, Gatehouse's own categories down to Debug.</summary>
    public CapturedLog Logs { get; } = new();

    public Task InitializeAsync()
    {
        // Replaces the RabbitMQ transport and keeps the service's consumers; long enough for a loaded machine.
        _audit = AuditService.Start(_schema, services: services => services
            .AddLogging(logging => CapturedLog.AddTo(logging, Logs))
            .AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2))));
        return Task.CompletedTask;
    }

    /// <summary>The events stored under <paramref name="correlationId"/>, as an analyst reads them.</summary>
    public async Task<IReadOnlyList<AuditEntry>> EventsAsync(string correlationId)
    {
        using var client = _audit.Analyst();
        var page = await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?correlationId={correlationId}&limit=1000");
        return page!.Events;
    }

    public async Task DisposeAsync()
    {
        await _audit.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
    }
}
