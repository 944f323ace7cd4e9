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

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/events", Handle).WithName("QueryAuditEvents");
    }

    private static async Task<Results<Ok<Page>, ValidationProblem>> Handle(
        IQuerySession session,
        [AsParameters] AuditEventFilter filter,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var errors = filter.Problems();
        var after = EventCursor.Start;
        if (cursor is not null && !EventCursor.TryParse(cursor, out after))
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
        return TypedResults.Ok(new Page(pageEvents, hasMore ? EventCursor.At(pageEvents[^1]) : null));
    }
}
