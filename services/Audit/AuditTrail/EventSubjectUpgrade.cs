using Gatehouse.Audit.Integrity;
using Gatehouse.Contracts;
using Npgsql;

namespace Gatehouse.Audit.AuditTrail;

/// <summary>
/// Entries stored before <see cref="EventSubject"/> named their user only when the event had a "userName": an audit
/// read (its reader) and a grant to a user (its subject) had none, so a search by user missed them. This fills in
/// those entries from the event data they keep; the events themselves, sealed in the chain, are not touched. Entries
/// already filled are skipped (both columns are indexed), so it costs nothing once done. Runs before Marten starts.
/// </summary>
public sealed class EventSubjectUpgrade(StoredEvents storedEvents, ILogger<EventSubjectUpgrade> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var table = $"\"{storedEvents.Schema}\".mt_doc_{nameof(AuditEntry).ToLowerInvariant()}";
        await using var connection = await storedEvents.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{table}') IS NOT NULL", connection))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }

        // Marten keeps the document's property names as they are: UserName, Data (the event, in camelCase).
        await using var update = new NpgsqlCommand($$"""
            UPDATE {{table}} AS entry SET user_name = found.subject, data = jsonb_set(entry.data, '{UserName}', to_jsonb(found.subject))
            FROM (SELECT id, CASE type WHEN $1 THEN data->'Data'->>'reader' ELSE data->'Data'->>'subject' END AS subject
                  FROM {{table}}
                  WHERE user_name IS NULL
                    AND (type = $1 OR (type = ANY($2) AND data->'Data'->>'subjectKind' = $3))) AS found
            WHERE entry.id = found.id AND found.subject IS NOT NULL
            """, connection);
        update.Parameters.Add(new NpgsqlParameter { Value = nameof(AuditTrailRead) });
        update.Parameters.Add(new NpgsqlParameter { Value = new[] { nameof(GrantIssued), nameof(GrantRevoked) } });
        update.Parameters.Add(new NpgsqlParameter { Value = nameof(GrantSubjectKind.User) });
        var filled = await update.ExecuteNonQueryAsync(cancellationToken);
        if (filled > 0)
        {
            logger.LogInformation("Named the user of {Count} audit entries stored before events named their subject", filled);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
