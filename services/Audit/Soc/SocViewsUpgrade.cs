using Gatehouse.Audit.Integrity;
using Gatehouse.Audit.Soc.Sessions;
using Gatehouse.Audit.Soc.Timelines;
using Npgsql;

namespace Gatehouse.Audit.Soc;

/// <summary>
/// The four SOC views were once four projections, each with its own progress; now one composite builds them (one read
/// of each page of events instead of four), which keeps the four progress rows and adds its own. A store from before
/// starts the composite where the four stood when they stood together; otherwise their documents and progress are
/// dropped and the composite rebuilds them from the audit store, since applying an event twice would count it twice.
/// Runs before Marten and its daemon start, once per store.
/// </summary>
public sealed class SocViewsUpgrade(StoredEvents storedEvents, ILogger<SocViewsUpgrade> logger) : IHostedService
{
    public const string Composite = "SocViews";

    // Marten names a projection's progress and its documents' table after the view type.
    private static readonly Type[] Views = [typeof(SessionView), typeof(UserAccessHistory), typeof(TargetAccessHistory), typeof(DecisionCount)];
    private static readonly string[] FormerShards = Views.Select(v => $"{v.Name}:All").ToArray();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = storedEvents.Schema;
        var progression = $"{schema}.mt_event_progression";
        await using var connection = await storedEvents.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ScalarAsync($"SELECT to_regclass('{progression}') IS NULL") is true
            || await ScalarAsync($"SELECT EXISTS (SELECT FROM {progression} WHERE name = '{Composite}:All')") is true
            || await ScalarAsync($"SELECT array_agg(last_seq_id) FROM {progression} WHERE name = ANY($1)", FormerShards) is not long[] positions)
        {
            return;
        }

        if (positions.Length == FormerShards.Length && positions.Distinct().Count() == 1)
        {
            // Another instance starting at the same time may have done the same.
            await ScalarAsync($"INSERT INTO {progression} (name, last_seq_id) VALUES ('{Composite}:All', {positions[0]}) ON CONFLICT DO NOTHING");
            logger.LogInformation("The SOC views continue as one composite projection from event {Sequence}", positions[0]);
        }
        else
        {
            foreach (var table in Views.Select(v => $"{schema}.mt_doc_{v.Name.ToLowerInvariant()}"))
            {
                await ScalarAsync($"DO $$ BEGIN IF to_regclass('{table}') IS NOT NULL THEN DELETE FROM {table}; END IF; END $$");
            }

            await ScalarAsync($"DELETE FROM {progression} WHERE name = ANY($1)", FormerShards);
            logger.LogWarning("The SOC views had stopped at different events ({Positions}): they are rebuilt from the audit store",
                string.Join(", ", positions));
        }

        await transaction.CommitAsync(cancellationToken);

        async Task<object?> ScalarAsync(string sql, string[]? shards = null)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (shards is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = shards });
            }

            return await command.ExecuteScalarAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
