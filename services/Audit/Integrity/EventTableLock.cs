using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gatehouse.Audit.Integrity;

/// <summary>
/// At start, once Marten has created the schema, hands the event and stream tables to the owner role through the
/// function deploy/infra.sh installs: from then on this service's database role can insert and read events but not
/// change, delete or truncate them, and cannot give itself those rights back. The service refuses to start when the
/// lock cannot be taken (fail closed), unless <c>Gatehouse:Audit:LockEventTable</c> is off.
/// </summary>
public sealed class EventTableLock(IDocumentStore store, StoredEvents storedEvents, IOptions<AuditSettings> settings,
    ILogger<EventTableLock> logger) : IHostedService
{
    public const string LockFunction = "public.gatehouse_lock_audit_events";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Value.LockEventTable)
        {
            logger.LogWarning("The audit event table is not locked (Gatehouse:Audit:LockEventTable is off): this service's role can change stored events");
            return;
        }

        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var connection = await storedEvents.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {LockFunction}($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = storedEvents.Schema });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new InvalidOperationException(
                $"Cannot lock the audit event table ({ex.MessageText}): run deploy/infra.sh up, which installs {LockFunction}.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
