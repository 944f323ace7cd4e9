using Gatehouse.WebConsole.Calling;
using Gatehouse.WebConsole.Pages.Alerts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Timelines;

public sealed record SourceSeenRecord(string Address, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Logins);

public sealed record UserHistoryRecord(DateTimeOffset? LastLoginAt, int SuccessfulLogins, int FailedLogins, IReadOnlyList<SourceSeenRecord> KnownSources);

public sealed record TargetHistoryRecord(int Sessions, int Denials, IReadOnlyList<string> Users);

/// <summary>
/// A user's or a target's history, newest first, a page at a time: the summary the Audit service keeps (logins, sources,
/// sessions, denials) and every event about them.
/// </summary>
public sealed class ShowModel(ServiceApis apis) : PageModel
{
    public const int DefaultPageSize = 50;

    /// <summary>"users" or "targets", as in the route.</summary>
    public string Kind { get; private set; } = "";

    public string Name { get; private set; } = "";

    public UserHistoryRecord? UserHistory { get; private set; }

    public TargetHistoryRecord? TargetHistory { get; private set; }

    public IReadOnlyList<AuditEventRecord> Events { get; private set; } = [];

    /// <summary>The link to the next (older) page, when there is one.</summary>
    public string? Older { get; private set; }

    /// <summary>Whether this page is a later one (the newest page is one link away).</summary>
    public bool Paged { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>Events a page; the Audit service bounds it (1 to 1000) and says so.</summary>
    public int Limit { get; private set; } = DefaultPageSize;

    public async Task<IActionResult> OnGetAsync(string kind, string name, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        Kind = kind;
        Name = name;
        Paged = cursor is not null;
        Limit = limit ?? DefaultPageSize;
        var query = QueryString.Empty.Add("limit", Limit.ToString());
        if (cursor is not null)
        {
            query = query.Add("cursor", cursor);
        }

        var path = $"api/audit/{kind}/{Uri.EscapeDataString(name)}/timeline{query}";
        if (kind == "users")
        {
            var answer = await apis.GetAsync<UserTimelineAnswer>(GatehouseService.Audit, path, cancellationToken);
            Show(answer, answer.Value?.History, null, answer.Value?.Events, answer.Value?.NextCursor);
        }
        else
        {
            var answer = await apis.GetAsync<TargetTimelineAnswer>(GatehouseService.Audit, path, cancellationToken);
            Show(answer, null, answer.Value?.History, answer.Value?.Events, answer.Value?.NextCursor);
        }

        return Page();
    }

    private void Show<T>(ApiAnswer<T> answer, UserHistoryRecord? user, TargetHistoryRecord? target, IReadOnlyList<AuditEventRecord>? events, string? next)
    {
        Problem = answer.Succeeded ? null : answer.Problem;
        UserHistory = user;
        TargetHistory = target;
        Events = events ?? [];
        Older = next is null ? null : $"/timelines/{Kind}/{Uri.EscapeDataString(Name)}?limit={Limit}&cursor={Uri.EscapeDataString(next)}";
    }

    private sealed record UserTimelineAnswer(UserHistoryRecord? History, IReadOnlyList<AuditEventRecord> Events, string? NextCursor);

    private sealed record TargetTimelineAnswer(TargetHistoryRecord? History, IReadOnlyList<AuditEventRecord> Events, string? NextCursor);
}
