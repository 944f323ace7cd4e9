using Gatehouse.Audit.Integrity;
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

    private static readonly string[] FormerShards = ["SessionView:All", "UserAccessHistory:All", "TargetAccessHistory:All", "DecisionCount:All"];
    private static readonly string[] ViewTables =
        ["mt_doc_sessionview", "mt_doc_useraccesshistory", "mt_doc_targetaccesshistory", "mt_doc_decisioncount"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await storedEvents.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var progression = $"{storedEvents.Schema}.mt_event_progression";
        if (await ScalarAsync(connection, $"SELECT to_regclass('{progression}') IS NULL") is true
            || await ScalarAsync(connection, $"SELECT EXISTS (SELECT FROM {progression} WHERE name = '{Composite}:All')") is true)
        {
            return;
        }

        await using var read = new NpgsqlCommand($"SELECT last_seq_id FROM {progression} WHERE name = ANY($1)", connection)
        {
            Parameters = { new() { Value = FormerShards } },
        };
        var positions = new List<long>();
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                positions.Add(reader.GetInt64(0));
            }
        }

        if (positions.Count == 0)
        {
            return;
        }

        if (positions.Count == FormerShards.Length && positions.Distinct().Count() == 1)
        {
            // Another instance starting at the same time may have done the same.
            await ExecuteAsync(connection, $"INSERT INTO {progression} (name, last_seq_id) VALUES ('{Composite}:All', {positions[0]}) ON CONFLICT DO NOTHING");
            logger.LogInformation("The SOC views continue as one composite projection from event {Sequence}", positions[0]);
        }
        else
        {
            foreach (var table in ViewTables)
            {
                await ExecuteAsync(connection, $"DO $$ BEGIN IF to_regclass('{storedEvents.Schema}.{table}') IS NOT NULL THEN DELETE FROM {storedEvents.Schema}.{table}; END IF; END $$");
            }

            await using var forget = new NpgsqlCommand($"DELETE FROM {progression} WHERE name = ANY($1)", connection)
            {
                Parameters = { new() { Value = FormerShards } },
            };
            await forget.ExecuteNonQueryAsync(cancellationToken);
            logger.LogWarning("The SOC views had stopped at different events ({Positions}): they are rebuilt from the audit store", string.Join(", ", positions));
        }

        await transaction.CommitAsync(cancellationToken);

        async Task<object?> ScalarAsync(NpgsqlConnection c, string sql)
        {
            await using var command = new NpgsqlCommand(sql, c);
            return await command.ExecuteScalarAsync(cancellationToken);
        }

        async Task ExecuteAsync(NpgsqlConnection c, string sql)
        {
            await using var command = new NpgsqlCommand(sql, c);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
