using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Soc.Exporting;
using Gatehouse.Audit.Soc.Sessions;
using Gatehouse.Audit.Soc.Timelines;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Audit.Soc;

/// <summary>Sessions, user and target timelines, decision counts, recordings and exports for the SOC.</summary>
public static class SocEndpoints
{
    public const int MaxLimit = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A user's access history and a page of the events about them, newest first; <c>NextCursor</c> continues with older ones.</summary>
    public sealed record UserTimeline(UserAccessHistory? History, IReadOnlyList<AuditEntry> Events, string? NextCursor);

    public sealed record TargetTimeline(TargetAccessHistory? History, IReadOnlyList<AuditEntry> Events, string? NextCursor);

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/sessions", SearchSessions).WithName("SearchSessions");
        group.MapGet("/sessions/{id:guid}", async Task<Results<Ok<SessionView>, NotFound>> (Guid id, IQuerySession session, CancellationToken ct) =>
            await session.LoadAsync<SessionView>(id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound()).WithName("ShowSession");
        group.MapGet("/sessions/{id:guid}/recording", DownloadRecording).WithName("DownloadRecording");
        group.MapGet("/users/{user}/timeline", UserTimelineAsync).WithName("UserTimeline");
        group.MapGet("/targets/{target}/timeline", TargetTimelineAsync).WithName("TargetTimeline");
        group.MapGet("/decisions", async (IQuerySession session, CancellationToken ct) =>
            (IReadOnlyList<DecisionCount>)await session.Query<DecisionCount>().OrderByDescending(d => d.Count).ToListAsync(ct)).WithName("DecisionCounts");
        group.MapGet("/export", Export).WithName("ExportEvents")
            .WithDescription("Stored events in a time range as JSON lines (format=jsonl) or OCSF 1.3 (format=ocsf), in store order.");
        group.MapGet("/alerts/export", ExportAlerts).WithName("ExportAlerts")
            .WithDescription("Alerts raised in a time range as OCSF Detection Findings (2004), one JSON object a line.");
    }

    private static InputErrors CheckRange(DateTimeOffset? from, DateTimeOffset? to, int? limit, InputErrors? errors = null)
    {
        errors ??= new InputErrors();
        if (from > to)
        {
            errors.Add("from", "'from' must not be after 'to'");
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}");
        }

        return errors;
    }

    private static async Task<Results<Ok<IReadOnlyList<SessionView>>, ValidationProblem>> SearchSessions(IQuerySession session, string? user,
        string? target, string? login, string? source, string? command, bool? open, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken ct)
    {
        var errors = CheckRange(from, to, limit);
        if (command is { Length: < 2 or > 200 })
        {
            errors.Add("command", "command must be 2 to 200 characters");
        }

        if (source is not null && !System.Net.IPAddress.TryParse(source, out _))
        {
            errors.Add("source", "source must be an IP address");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var query = session.Query<SessionView>().AsQueryable();
        if (user is not null)
        {
            query = query.Where(s => s.UserName == user);
        }

        if (target is not null)
        {
            query = query.Where(s => s.Target == target);
        }

        if (login is not null)
        {
            query = query.Where(s => s.Login == login);
        }

        if (source is not null)
        {
            query = query.Where(s => s.SourceAddress == source);
        }

        if (open is { } isOpen)
        {
            query = isOpen ? query.Where(s => s.EndedAt == null) : query.Where(s => s.EndedAt != null);
        }

        if (from is { } start)
        {
            query = query.Where(s => s.StartedAt >= start);
        }

        if (to is { } end)
        {
            query = query.Where(s => s.StartedAt < end);
        }

        if (command is not null)
        {
            query = query.Where(s => s.Commands.Any(c => c.CommandLine.Contains(command)));
        }

        return TypedResults.Ok<IReadOnlyList<SessionView>>(await query.OrderByDescending(s => s.StartedAt).Take(limit ?? 100).ToListAsync(ct));
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound<string>>> DownloadRecording(Guid id, IQuerySession session,
        IOptions<AuditSettings> settings, CancellationToken ct)
    {
        return await session.LoadAsync<SessionView>(id, ct) is { } view ? Recording(view, settings.Value) : TypedResults.NotFound("No such session");
    }

    /// <summary>The session's recording as a <c>.cast</c> download, or why there is none here.</summary>
    internal static Results<PhysicalFileHttpResult, NotFound<string>> Recording(SessionView view, AuditSettings settings)
    {
        var file = settings.RecordingsDirectory is { } directory ? RecordingFiles.Find(directory, view) : null;
        return file is not null
            ? TypedResults.PhysicalFile(file, "application/x-asciicast", $"{view.Id:D}.cast")
            : TypedResults.NotFound("The session has no recording here");
    }

    private static async Task<Results<Ok<UserTimeline>, ValidationProblem>> UserTimelineAsync(string user, IQuerySession session,
        DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, CancellationToken ct)
    {
        var page = await TimelineAsync(session.Query<AuditEntry>().Where(e => e.Actor == user || e.UserName == user), from, to, cursor, limit, ct);
        return page.Errors is { } errors
            ? errors
            : TypedResults.Ok(new UserTimeline(await session.LoadAsync<UserAccessHistory>(user, ct), page.Events, page.NextCursor));
    }

    private static async Task<Results<Ok<TargetTimeline>, ValidationProblem>> TargetTimelineAsync(string target, IQuerySession session,
        DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, CancellationToken ct)
    {
        var page = await TimelineAsync(session.Query<AuditEntry>().Where(e => e.Target == target), from, to, cursor, limit, ct);
        return page.Errors is { } errors
            ? errors
            : TypedResults.Ok(new TargetTimeline(await session.LoadAsync<TargetAccessHistory>(target, ct), page.Events, page.NextCursor));
    }

    /// <summary>A timeline's events newest first, a page at a time: the cursor continues with the events older than the last one given.</summary>
    private static async Task<(ValidationProblem? Errors, IReadOnlyList<AuditEntry> Events, string? NextCursor)> TimelineAsync(
        IQueryable<AuditEntry> query, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = CheckRange(from, to, limit);
        var before = EventCursor.Start;
        if (cursor is not null && !EventCursor.TryParse(cursor, out before))
        {
            errors.Add("cursor", "The cursor is not one this API returned");
        }

        if (errors.Any)
        {
            return (errors.ToResult(), [], null);
        }

        query = AuditEventFilter.InRange(query, from, to);
        if (cursor is not null)
        {
            query = query.Where(e => e.OccurredAt < before.OccurredAt || (e.OccurredAt == before.OccurredAt && e.Sequence < before.Sequence));
        }

        var pageSize = limit ?? 100;
        var events = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Sequence).Take(pageSize + 1).ToListAsync(ct);
        return events.Count > pageSize
            ? (null, events.Take(pageSize).ToList(), EventCursor.At(events[pageSize - 1]))
            : (null, events, null);
    }

    private static IResult Export(IQuerySession session, string? format, [AsParameters] AuditEventFilter filter, CancellationToken ct)
    {
        var errors = filter.Problems();
        if (format is not ("jsonl" or "ocsf"))
        {
            errors.Add("format", "format must be jsonl or ocsf");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var query = filter.Apply(session.Query<AuditEntry>());
        return Lines(query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct),
            entry => format == "ocsf" ? Ocsf.Line(Ocsf.FromEntry(entry)) : JsonSerializer.Serialize(entry, Json), ct);
    }

    /// <summary>
    /// Streams when the result runs, after the endpoint filters: the audit of this read is then recorded before the
    /// first line leaves, as for every other read, rather than after the whole export was sent.
    /// </summary>
    private static IResult Lines<T>(IAsyncEnumerable<T> items, Func<T, string> line, CancellationToken ct) =>
        TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false));
            await foreach (var item in items)
            {
                await writer.WriteAsync((line(item) + "\n").AsMemory(), ct);
            }
        }, "application/x-ndjson");

    private static IResult ExportAlerts(IQuerySession session, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var errors = CheckRange(from, to, null);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var query = session.Query<AlertView>().AsQueryable();
        if (from is { } start)
        {
            query = query.Where(a => a.RaisedAt >= start);
        }

        if (to is { } end)
        {
            query = query.Where(a => a.RaisedAt < end);
        }

        return Lines(query.OrderBy(a => a.RaisedAt).ToAsyncEnumerable(ct), alert => Ocsf.Line(Ocsf.FromAlert(alert)), ct);
    }
}
