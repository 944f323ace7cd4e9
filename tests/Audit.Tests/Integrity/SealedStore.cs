using System.Net.Http.Json;
using Gatehouse.Audit.Integrity;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gatehouse.Audit.Tests.Integrity;

/// <summary>An Audit service on a schema of its own, with events recorded straight into its store (no bus needed).</summary>
public sealed class SealedStore : IAsyncDisposable
{
    private readonly string _schema = Infrastructure.UniqueSchema("auditseal");

    public SealedStore(bool onRealPort = false, IDictionary<string, string?>? settings = null) =>
        Audit = AuditService.Start(_schema, settings, onRealPort: onRealPort);

    public WebApplicationFactory<Program> Audit { get; }

    public string Schema => _schema;

    public async Task<IReadOnlyList<IAccessEvent>> RecordAsync(int count)
    {
        var events = NewEvents(count);
        await Audit.RecordAsync(events);
        return events;
    }

    /// <summary>Records the events all at once, so the writer commits them together and the sealer finds them in one page.</summary>
    public async Task<IReadOnlyList<IAccessEvent>> RecordTogetherAsync(int count)
    {
        var events = NewEvents(count);
        var writer = Audit.Services.GetRequiredService<AuditWriter>();
        await Task.WhenAll(events.Select(e => writer.RecordAsync(e, null, CancellationToken.None)));
        return events;
    }

    public async Task<IReadOnlyList<DigestSealed>> DigestsAsync()
    {
        await using var session = Audit.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryRawEventDataOnly<DigestSealed>().OrderBy(d => d.Number).ToListAsync();
    }

    private static List<IAccessEvent> NewEvents(int count)
    {
        var correlationId = Guid.NewGuid().ToString();
        return Enumerable.Range(0, count)
            .Select(i => (IAccessEvent)EventPipeline.SampleEvents.LoginSucceeded($"user{i}", correlationId))
            .ToList();
    }

    /// <summary>Waits until every stored event is sealed, then returns the verify report.</summary>
    public async Task<IntegrityReport> VerifyWhenSealedAsync()
    {
        using var client = Audit.Analyst();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var report = (await client.GetFromJsonAsync<IntegrityReport>("/api/audit/integrity/verify", AuditService.Json))!;
            if (report.UnsealedEvents == 0 && report.DigestsChecked > 0 || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(200);
        }
    }

    public async Task<IntegrityReport> VerifyAsync()
    {
        using var client = Audit.Analyst();
        return (await client.GetFromJsonAsync<IntegrityReport>("/api/audit/integrity/verify", AuditService.Json))!;
    }

    /// <summary>Runs SQL against this store as the database administrator, the way an intruder with that access would.</summary>
    public Task AsAdministratorAsync(string sql, params object[] parameters) => Infrastructure.AsAdministratorAsync(_schema, sql, parameters);

    /// <summary>Runs SQL as the role the Audit service itself connects as.</summary>
    public async Task AsAuditServiceAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port=5432;Database=gatehouse;Username={Infrastructure.PostgresRole("audit")};Password={Infrastructure.Password("audit")}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", $"\"{_schema}\""), connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Audit.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
    }
}
