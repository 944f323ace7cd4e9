using System.Security.Cryptography;
using System.Text;
using Gatehouse.ServiceDefaults.EventStore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gatehouse.Audit.Integrity;

/// <summary>One row of the event table as PostgreSQL holds it, which is what a digest seals and verify re-reads.</summary>
public sealed record StoredEvent(long Sequence, Guid EventId, Guid StreamId, string Type, DateTimeOffset Timestamp, string Data)
{
    public string Hash()
    {
        var text = $"{Sequence}\n{EventId:D}\n{StreamId:D}\n{Type}\n{Timestamp.UtcTicks}\n{Data}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>Reads the raw event table (data as PostgreSQL's canonical jsonb text), leaving out the digests themselves.</summary>
public sealed class StoredEvents(IConfiguration configuration, IOptions<EventStoreSettings> eventStore) : IAsyncDisposable
{
    public const string DigestType = "digest_sealed";

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(EventStoreExtensions.ConnectionString(configuration, eventStore.Value));

    public string Schema { get; } = eventStore.Value.Schema;

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>The events after one sequence up to another, in order; the first <paramref name="limit"/> of them when given.</summary>
    public async Task<IReadOnlyList<StoredEvent>> RangeAsync(long afterSequence, long upToSequence, int? limit,
        CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT seq_id, id, stream_id, type, timestamp, data::text FROM \"{Schema}\".mt_events " +
            "WHERE seq_id > $1 AND seq_id <= $2 AND type <> $3 ORDER BY seq_id LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = upToSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = DigestType });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = limit ?? long.MaxValue });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredEvent>> ByIdsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT seq_id, id, stream_id, type, timestamp, data::text FROM \"{Schema}\".mt_events WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<long> CountAfterAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT count(*) FROM \"{Schema}\".mt_events WHERE seq_id > $1 AND type <> $2");
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = DigestType });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }

        return events;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
