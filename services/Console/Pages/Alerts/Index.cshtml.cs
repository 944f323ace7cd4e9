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

    public IReadOnlyList<AlertRecord> Alerts { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = QueryString.Empty;
        // "any" shows every status; no status given at all means the open ones (what a paged analyst wants first).
        if (Status is { Length: > 0 } and not "any")
        {
            query = query.Add("status", Status);
        }

        foreach (var (name, value) in new[] { ("severity", Severity), ("rule", Rule), ("user", UserName) })
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
