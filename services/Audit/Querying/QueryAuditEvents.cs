using Gatehouse.Audit.AuditTrail;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Audit.Querying;

/// <summary>
/// <c>GET /api/audit/events</c>: stored events by actor, user, target, source, free text, correlation id, type and time range, in the order they
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
        [AsParameters] AuditEventFilter filter,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var errors = filter.Problems();
        var after = Cursor.Start;
        if (cursor is not null && !Cursor.TryParse(cursor, out after))
        {
            errors.Add("cursor", "The cursor is not one this API returned");
        }

        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var query = filter.Apply(session.Query<AuditEntry>())
            .Where(e => e.OccurredAt > after.OccurredAt || (e.OccurredAt == after.OccurredAt && e.Sequence > after.Sequence));
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
