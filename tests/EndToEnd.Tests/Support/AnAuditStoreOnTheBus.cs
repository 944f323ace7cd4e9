using System.Security.Cryptography;
using Gatehouse.TestSupport;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>Starts with an empty audit store: the Audit service on this run's bus, in a schema of its own; it receives every access event the others publish.</summary>
public sealed class AnAuditStoreOnTheBus : IAsyncLifetime
{
    private readonly string _schema = Infrastructure.UniqueSchema("e2e_audit");
    private WebApplicationFactory<Gatehouse.Audit.AuditTrail.AuditEntry> _audit = null!;

    public Task InitializeAsync()
    {
        _audit = new ServiceFactory<Gatehouse.Audit.AuditTrail.AuditEntry>("audit", _schema, new Dictionary<string, string?>
        {
            ["Gatehouse:Audit:Integrity:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        _audit.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The SOC API, called with <paramref name="token"/>.</summary>
    public HttpClient Client(string token)
    {
        var client = _audit.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The ids of the given events that the audit store holds, in the order they happened.</summary>
    public async Task<IReadOnlyList<Guid>> StoredAsync(IReadOnlyCollection<Guid> eventIds)
    {
        await using var session = _audit.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ids = eventIds.ToArray();
        var stored = await session.Query<Gatehouse.Audit.AuditTrail.AuditEntry>().Where(e => e.Id.IsOneOf(ids)).ToListAsync();
        return stored.OrderBy(e => e.OccurredAt).Select(e => e.Id).ToList();
    }

    /// <summary>Waits (generously: detection runs behind the bus) for an alert the Audit service raised, or fails naming it.</summary>
    public Task<Gatehouse.Audit.Alerts.AlertView> AlertAsync(string rule, string userName) =>
        AlertAsync(a => a.Rule == rule && a.UserName == userName, $"{rule} alert for {userName}");

    /// <summary>The same for an alert about a source address (password spraying names no user).</summary>
    public Task<Gatehouse.Audit.Alerts.AlertView> AlertFromSourceAsync(string rule, string source) =>
        AlertAsync(a => a.Rule == rule && a.SourceAddress == source, $"{rule} alert from {source}");

    private async Task<Gatehouse.Audit.Alerts.AlertView> AlertAsync(
        System.Linq.Expressions.Expression<Func<Gatehouse.Audit.Alerts.AlertView, bool>> which, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using (var session = _audit.Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                var alerts = await session.Query<Gatehouse.Audit.Alerts.AlertView>().Where(which).ToListAsync();
                if (alerts.Count > 0)
                {
                    return alerts[0];
                }
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"No {what} within 90 s.");
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        await _audit.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
    }
}
