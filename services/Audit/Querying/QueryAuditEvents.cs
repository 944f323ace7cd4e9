using Gatehouse.Audit.AuditTrail;
using Gatehouse.Contracts;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gatehouse.Audit.Querying;

/// <summary>
/// <c>GET /api/audit/events</c>: stored events by actor, target, source, free text, correlation id, type and time range, in the order they
/// happened (ties in the order they were recorded), cursor-paged.
/// </summary>
public static class QueryAuditEvents
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public sealed record Page(IReadOnlyList<AuditEntry> Events, string? NextCursor);

    public static RouteGroupBuilder MapAuditEventQueries(this RouteGroupBuilder group)
    {
        group.MapGet("/events", Handle).WithName("QueryAuditEvents");
        return group;
    }

    private static async Task<Results<Ok<Page>, ValidationProblem>> Handle(
        IQuerySession session,
        string? actor,
        string? target,
        string? source,
        string? q,
        string? correlationId,
        string? type,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (type is not null && AccessEventTypes.Find(type) is null)
        {
            errors["type"] = [$"Unknown event type '{type}'. Known types: {string.Join(", ", AccessEventTypes.All.Select(t => t.Name))}"];
        }

        if (q is { Length: > 200 } || q is { Length: < 3 })
        {
            errors["q"] = ["Free text must be 3 to 200 characters"];
        }

        if (source is not null && !System.Net.IPAddress.TryParse(source, out _))
        {
            errors["source"] = ["source must be an IP address"];
        }

        if (from > to)
        {
            errors["from"] = ["'from' must not be after 'to'"];
        }

        var after = Cursor.Start;
        if (cursor is not null && !Cursor.TryParse(cursor, out after))
        {
            errors["cursor"] = ["The cursor is not one this API returned"];
        }

        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = session.Query<AuditEntry>()
            .Where(e => e.OccurredAt > after.OccurredAt || (e.OccurredAt == after.OccurredAt && e.Sequence > after.Sequence));
        if (actor is not null)
        {
            query = query.Where(e => e.Actor == actor);
        }

        if (target is not null)
        {
            query = query.Where(e => e.Target == target);
        }

        if (source is not null)
        {
            query = query.Where(e => e.SourceAddress == source);
        }

        if (q is not null)
        {
            var pattern = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(e => e.MatchesSql("d.data::text ILIKE ?", pattern));
        }

        if (correlationId is not null)
        {
            query = query.Where(e => e.CorrelationId == correlationId);
        }

        if (type is not null)
        {
            query = query.Where(e => e.Type == type);
        }

        if (from is { } start)
        {
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (to is { } end)
        {
            query = query.Where(e => e.OccurredAt < end);
        }

        var events = await query.OrderBy(e => e.OccurredAt).ThenBy(e => e.Sequence).Take(pageSize + 1).ToListAsync(cancellationToken);
        var hasMore = events.Count > pageSize;
        var pageEvents = hasMore ? events.Take(pageSize).ToList() : events.ToList();
        return TypedResults.Ok(new Page(pageEvents, hasMore ? Cursor.After(pageEvents[^1]) : null));
    }

    /// <summary>Where the next page starts: after this occurrence time (to the microsecond PostgreSQL keeps) and sequence.</summary>
    private readonly record struct Cursor(DateTimeOffset OccurredAt, long Sequence)
    {
        public static readonly Cursor Start = new(DateTimeOffset.MinValue, 0);

        public static string After(AuditEntry entry) =>
            $"{ToMicroseconds(entry.OccurredAt)}.{entry.Sequence}";

        public static bool TryParse(string text, out Cursor cursor)
        {
            cursor = Start;
            var parts = text.Split('.');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var micros) || !long.TryParse(parts[1], out var sequence)
                || micros < 0 || micros > ToMicroseconds(DateTimeOffset.MaxValue) || sequence < 0)
            {
                return false;
            }

            cursor = new Cursor(new DateTimeOffset(micros * 10, TimeSpan.Zero), sequence);
            return true;
        }

        private static long ToMicroseconds(DateTimeOffset time) => time.UtcTicks / 10;
    }
}
