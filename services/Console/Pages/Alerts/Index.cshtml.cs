using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Alerts;

/// <summary>Alerts, open ones first by default, filtered as the SOC API filters them.</summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public static readonly string[] Statuses = ["open", "acknowledged", "resolved"];
    public static readonly string[] Severities = ["low", "medium", "high", "critical"];

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; } = "open";

    [BindProperty(SupportsGet = true)]
    public string? Severity { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Rule { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    /// <summary>Raised at or after.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTimeOffset? From { get; set; }

    /// <summary>Raised before.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTimeOffset? To { get; set; }

    public IReadOnlyList<AlertRecord> Alerts { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Problem = "A time must be a date and time (for example 2026-12-04T17:00Z).";
            return;
        }

        var query = QueryString.Empty;
        // "any" shows every status; no status given at all means the open ones (what a paged analyst wants first).
        if (Status is { Length: > 0 } and not "any")
        {
            query = query.Add("status", Status);
        }

        foreach (var (name, value) in new[] { ("severity", Severity), ("rule", Rule), ("user", UserName), ("target", Target),
                     ("from", From?.ToString("O")), ("to", To?.ToString("O")) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query = query.Add(name, value.Trim());
            }
        }

        var answer = await apis.GetAsync<List<AlertRecord>>(GatehouseService.Audit, "api/audit/alerts" + query.Add("limit", "200"), cancellationToken);
        Alerts = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }
}
