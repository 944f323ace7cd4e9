using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Sessions;

/// <summary>Session search with every filter of the SOC API: user, target, login, source, command text, open or ended, time.</summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Login { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Command { get; set; }

    /// <summary>"open", "ended" or empty for both.</summary>
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTimeOffset? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTimeOffset? To { get; set; }

    public IReadOnlyList<SessionRecord> Sessions { get; private set; } = [];

    public string? Problem { get; private set; }

    public bool SeesAll { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SeesAll = SessionSource.SeesAll(User);
        if (!SeesAll)
        {
            // The own-sessions API takes no filters: a person's own sessions are few, newest first.
            var own = await apis.GetAsync<List<SessionRecord>>(GatehouseService.Audit, SessionSource.Sessions(User) + "?limit=200", cancellationToken);
            Sessions = own.Value ?? [];
            Problem = own.Succeeded ? null : own.Problem;
            return;
        }

        if (!ModelState.IsValid)
        {
            Problem = "A time must be a date and time (for example 2026-12-04T17:00Z).";
            return;
        }

        var query = QueryString.Empty;
        foreach (var (name, value) in new[] { ("user", UserName), ("target", Target), ("login", Login), ("source", Source), ("command", Command) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query = query.Add(name, value.Trim());
            }
        }

        if (State is "open" or "ended")
        {
            query = query.Add("open", State == "open" ? "true" : "false");
        }

        if (From is { } from)
        {
            query = query.Add("from", from.ToString("O"));
        }

        if (To is { } to)
        {
            query = query.Add("to", to.ToString("O"));
        }

        var answer = await apis.GetAsync<List<SessionRecord>>(GatehouseService.Audit, SessionSource.Sessions(User) + query.Add("limit", "200"), cancellationToken);
        Sessions = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }
}
