using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Alerts;

/// <summary>One alert: what raised it, the events that triggered it, and the analyst's acknowledge and resolve.</summary>
public sealed class ShowModel(ServiceApis apis) : PageModel
{
    /// <summary>How far before the alert its triggering events are looked for (the rules' windows are shorter).</summary>
    public static readonly TimeSpan TriggerWindow = TimeSpan.FromHours(1);

    public AlertRecord? Alert { get; private set; }

    public IReadOnlyList<AuditEventRecord> Triggers { get; private set; } = [];

    public string? Problem { get; private set; }

    public string? Done { get; private set; }

    [BindProperty]
    public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken cancellationToken) => ActAsync(id, "acknowledge", "Acknowledged", cancellationToken);

    public Task<IActionResult> OnPostResolveAsync(Guid id, CancellationToken cancellationToken) => ActAsync(id, "resolve", "Resolved", cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, string action, string done, CancellationToken cancellationToken)
    {
        // The Audit service decides (open only, a note required) and records who did it; its refusal is shown as given.
        var answer = await apis.PostAsync<AlertRecord>(GatehouseService.Audit, $"api/audit/alerts/{id:D}/{action}", new { note = Note }, cancellationToken);
        if (answer.Succeeded)
        {
            return Redirect($"/alerts/{id:D}?done={done}");
        }

        var page = await LoadAsync(id, cancellationToken);
        Problem = answer.Problem;
        Response.StatusCode = (int)answer.Status;
        return page;
    }

    private async Task<IActionResult> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var answer = await apis.GetAsync<AlertRecord>(GatehouseService.Audit, $"api/audit/alerts/{id:D}", cancellationToken);
        if (!answer.Succeeded)
        {
            return StatusCode((int)answer.Status);
        }

        Alert = answer.Value!;
        Done = Request.Query["done"] is [{ } done] && done is "Acknowledged" or "Resolved" ? done : null;
        Triggers = await TriggersAsync(Alert, cancellationToken);
        return Page();
    }

    /// <summary>
    /// The audit API finds events by who, where and when, not by id: the triggering ones are picked out of the alert's
    /// user's (or source's) events in the hour before it, a few pages at most.
    /// </summary>
    private async Task<IReadOnlyList<AuditEventRecord>> TriggersAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        var wanted = alert.TriggeringEventIds.ToHashSet();
        if (wanted.Count == 0)
        {
            return [];
        }

        var query = QueryString.Empty
            .Add("from", (alert.RaisedAt - TriggerWindow).ToString("O"))
            .Add("to", alert.RaisedAt.AddSeconds(1).ToString("O"))
            .Add("limit", "1000");
        if (alert.UserName is { } user)
        {
            query = query.Add("user", user);
        }
        else if (alert.SourceAddress is { } source)
        {
            query = query.Add("source", source);
        }

        var found = new List<AuditEventRecord>();
        string? cursor = null;
        for (var page = 0; page < 5 && found.Count < wanted.Count; page++)
        {
            var path = "api/audit/events" + (cursor is null ? query : query.Add("cursor", cursor));
            var answer = await apis.GetAsync<AuditEventPage>(GatehouseService.Audit, path, cancellationToken);
            if (answer.Value is not { } events)
            {
                Problem = answer.Problem;
                break;
            }

            found.AddRange(events.Events.Where(e => wanted.Contains(e.Id)));
            cursor = events.NextCursor;
            if (cursor is null)
            {
                break;
            }
        }

        return found;
    }
}
