using Gatehouse.Audit.Security;
using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gatehouse.Audit.Alerts;

/// <summary>What an analyst's action does to an alert: the event to append, or why it is refused (a 409).</summary>
public sealed record AlertDecision(object? Decided, string? Refusal = null) : IStreamDecision
{
    public IReadOnlyList<object> Events => Decided is null ? [] : [Decided];
}

/// <summary>What an analyst may do to an alert: acknowledge an open one, resolve one not yet resolved.</summary>
public static class AlertDecisions
{
    public static AlertDecision Acknowledge(AlertView alert, string note, string by, DateTimeOffset now) => alert.Status == AlertStatus.Open
        ? new AlertDecision(new AlertAcknowledged(alert.Id, note, by, now))
        : new AlertDecision(null, $"The alert is {alert.Status.ToString().ToLowerInvariant()}, not open");

    public static AlertDecision Resolve(AlertView alert, string resolution, string by, DateTimeOffset now) => alert.Status != AlertStatus.Resolved
        ? new AlertDecision(new AlertResolved(alert.Id, resolution, by, now))
        : new AlertDecision(null, "The alert is already resolved");
}

/// <summary><c>/api/audit/alerts</c>: list, show, acknowledge and resolve alerts.</summary>
public static class AlertEndpoints
{
    public const int MaxLimit = 500;

    public sealed record AlertNote(string? Note);

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/alerts", List).WithName("ListAlerts");
        group.MapGet("/alerts/{id:guid}", async Task<Results<Ok<AlertView>, NotFound>> (Guid id, IQuerySession session, CancellationToken ct) =>
            await session.LoadAsync<AlertView>(id, ct) is { } alert ? TypedResults.Ok(alert) : TypedResults.NotFound()).WithName("ShowAlert");
        group.MapPost("/alerts/{id:guid}/acknowledge", (Guid id, AlertNote body, ApiCaller caller, IDocumentStore store, CancellationToken ct) =>
            Act(id, body.Note, caller, store, ct, (alert, note, by) => AlertDecisions.Acknowledge(alert, note, by, caller.Now))).WithName("AcknowledgeAlert");
        group.MapPost("/alerts/{id:guid}/resolve", (Guid id, AlertNote body, ApiCaller caller, IDocumentStore store, CancellationToken ct) =>
            Act(id, body.Note, caller, store, ct, (alert, note, by) => AlertDecisions.Resolve(alert, note, by, caller.Now))).WithName("ResolveAlert");
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertView>>, ValidationProblem>> List(IQuerySession session, string? status, string? severity,
        string? rule, string? user, string? target, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        if (from > to)
        {
            errors.Add("from", "'from' must not be after 'to'");
        }

        AlertStatus? wantedStatus = null;
        if (status is not null)
        {
            if (Enum.TryParse<AlertStatus>(status, true, out var parsed) && !int.TryParse(status, out _))
            {
                wantedStatus = parsed;
            }
            else
            {
                errors.Add("status", "status must be open, acknowledged or resolved");
            }
        }

        AlertSeverity? wantedSeverity = null;
        if (severity is not null)
        {
            if (Enum.TryParse<AlertSeverity>(severity, true, out var parsed) && !int.TryParse(severity, out _))
            {
                wantedSeverity = parsed;
            }
            else
            {
                errors.Add("severity", "severity must be low, medium, high or critical");
            }
        }

        var take = limit ?? 100;
        if (take is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var query = session.Query<AlertView>().AsQueryable();
        if (wantedStatus is { } s)
        {
            query = query.Where(a => a.Status == s);
        }

        if (wantedSeverity is { } v)
        {
            query = query.Where(a => a.Severity == v);
        }

        if (rule is not null)
        {
            query = query.Where(a => a.Rule == rule);
        }

        if (user is not null)
        {
            query = query.Where(a => a.UserName == user);
        }

        if (target is not null)
        {
            query = query.Where(a => a.Target == target);
        }

        if (from is { } start)
        {
            query = query.Where(a => a.RaisedAt >= start);
        }

        if (to is { } end)
        {
            query = query.Where(a => a.RaisedAt < end);
        }

        return TypedResults.Ok<IReadOnlyList<AlertView>>(await query.OrderByDescending(a => a.RaisedAt).Take(take).ToListAsync(cancellationToken));
    }

    private static async Task<Results<Ok<AlertView>, NotFound, ValidationProblem, Conflict<string>>> Act(Guid id, string? note, ApiCaller caller,
        IDocumentStore store, CancellationToken cancellationToken, Func<AlertView, string, string, AlertDecision> decide)
    {
        if (string.IsNullOrWhiteSpace(note) || note.Length > 2000)
        {
            return InputErrors.Invalid("note", "A note of 1 to 2000 characters is required");
        }

        // The alert's stream has other writers than analysts (paging records each delivery on it), so a conflict is
        // decided again on the new state: another analyst's decision then refuses this one, a page note does not. Each
        // attempt reads in a fresh session: the one that failed still expects the stream version it read.
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var (update, decision) = await session.GetAndUpdateAsync<AlertView, AlertDecision>(id, alert => decide(alert, note, caller.Name),
                cancellationToken);
            if (decision?.Refusal is { } refusal)
            {
                return TypedResults.Conflict(refusal);
            }

            switch (update)
            {
                case StreamUpdate.NotFound:
                    return TypedResults.NotFound();
                case StreamUpdate.Conflict:
                    if (attempt == 5)
                    {
                        return TypedResults.Conflict("The alert changed while this was decided; load it again");
                    }

                    continue;
            }

            return TypedResults.Ok((await session.LoadAsync<AlertView>(id, cancellationToken))!);
        }
    }
}
