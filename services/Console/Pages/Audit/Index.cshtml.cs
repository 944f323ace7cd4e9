using Gatehouse.WebConsole.Calling;
using Gatehouse.WebConsole.Pages.Alerts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Audit;

/// <summary>
/// Every filter of the audit API (<c>GET /api/audit/events</c>), as the page's query string under the API's own names, so
/// a search is a link and the API validates it (its 400 is shown as it gave it).
/// </summary>
public sealed record AuditSearch(string? Actor, string? User, string? Target, string? Source, string? Text, string? CorrelationId, string? Type,
    string? From, string? To)
{
    public static AuditSearch Of(IQueryCollection query) => new(Value(query, "actor"), Value(query, "user"), Value(query, "target"),
        Value(query, "source"), Value(query, "q"), Value(query, "correlationId"), Value(query, "type"), Value(query, "from"), Value(query, "to"));

    public bool IsEmpty => ToQuery() == QueryString.Empty;

    public QueryString ToQuery()
    {
        var query = QueryString.Empty;
        foreach (var (name, value) in new[] { ("actor", Actor), ("user", User), ("target", Target), ("source", Source), ("q", Text),
                     ("correlationId", CorrelationId), ("type", Type), ("from", From), ("to", To) })
        {
            if (value is not null)
            {
                query = query.Add(name, value);
            }
        }

        return query;
    }

    private static string? Value(IQueryCollection query, string name) =>
        query[name] is [{ } value] && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}

/// <summary>Audit search: the stored events by every filter the audit API has, a page at a time, and the same search exported.</summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public static readonly int[] PageSizes = [50, 100, 500, 1000];

    public IEnumerable<int> Sizes => PageSizes.Append(Limit).Distinct().Order();

    public static IEnumerable<string> EventTypes => Gatehouse.Contracts.AccessEventTypes.All.Select(t => t.Name);

    public AuditSearch Search { get; private set; } = AuditSearch.Of(new QueryCollection());

    public int Limit { get; private set; } = 100;

    public IReadOnlyList<AuditEventRecord> Events { get; private set; } = [];

    public string? Next { get; private set; }

    public bool Paged { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? cursor, int? limit, CancellationToken cancellationToken)
    {
        Search = AuditSearch.Of(Request.Query);
        // The Audit service bounds the page (1 to 1000) and says so; the form offers the usual sizes.
        Limit = limit ?? 100;
        Paged = cursor is not null;
        // An empty form is a page to fill in: the whole store is not listed unasked.
        if (Search.IsEmpty && !Paged)
        {
            return;
        }

        var query = Search.ToQuery().Add("limit", Limit.ToString());
        if (cursor is not null)
        {
            query = query.Add("cursor", cursor);
        }

        var answer = await apis.GetAsync<AuditEventPage>(GatehouseService.Audit, "api/audit/events" + query, cancellationToken);
        Events = answer.Value?.Events ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
        Next = answer.Value?.NextCursor is { } next
            ? "/audit" + Search.ToQuery().Add("limit", Limit.ToString()).Add("cursor", next)
            : null;
    }

    public string Export(string format) => "/audit/export" + Search.ToQuery().Add("format", format);
}
