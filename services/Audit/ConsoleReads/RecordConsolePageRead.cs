using System.Diagnostics;
using System.Net;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Audit.ConsoleReads;

/// <param name="Page">The page's path, as the browser asked for it.</param>
/// <param name="Query">The query string without its '?', if any.</param>
/// <param name="StatusCode">What the page is about to answer.</param>
/// <param name="SourceAddress">The browser's address as the console saw it.</param>
public sealed record ConsolePageReadReport(string? Page, string? Query, int? StatusCode, string? SourceAddress);

/// <summary>
/// <c>POST /api/audit/console/page-reads</c>: the web console reports each page a person opens, with that person's
/// token, and is answered only once the read is stored; the console sends no page it could not have recorded. Anyone
/// signed in may report, but only their own reads (the reader is the token's subject), and the report's own address
/// is kept beside the browser's it claims.
/// </summary>
public static class RecordConsolePageRead
{
    public const int MaxPage = 500;
    public const int MaxQuery = 2000;

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapPost("/page-reads", HandleAsync).WithName("RecordConsolePageRead");
    }

    /// <summary>The event the report asks for, or what is wrong with it; the caller's id and time are passed in.</summary>
    public static ConsolePageRead? Validate(ConsolePageReadReport report, ApiCaller caller, Guid eventId, InputErrors errors)
    {
        var page = errors.Required("page", report.Page, MaxPage);
        if (page.Length > 0 && (!page.StartsWith('/') || InputText.Problem(page) is not null))
        {
            errors.Add("page", "must be a path starting with '/', on one line");
        }

        var query = string.IsNullOrEmpty(report.Query) ? null : report.Query;
        if (query is not null && (query.Length > MaxQuery || InputText.Problem(query) is not null))
        {
            errors.Add("query", $"must be one line of at most {MaxQuery} characters");
        }

        if (report.StatusCode is not (>= 100 and <= 599))
        {
            errors.Add("statusCode", "must be an HTTP status code");
        }

        if (report.SourceAddress is not null && !IPAddress.TryParse(report.SourceAddress, out _))
        {
            errors.Add("sourceAddress", "must be an IP address");
        }

        return errors.Any
            ? null
            : new ConsolePageRead(caller.Name, page, query, report.StatusCode!.Value, caller.SourceAddress, caller.Name,
                report.SourceAddress, caller.CorrelationId, eventId, caller.Now);
    }

    private static async Task<IResult> HandleAsync(ApiCaller caller, HttpContext http, AuditWriter writer, CancellationToken cancellationToken)
    {
        var (report, problem) = await JsonBody.ReadAsync<ConsolePageReadReport>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new InputErrors();
        if (Validate(report!, caller, caller.NewEventId(), errors) is not { } read)
        {
            return errors.ToResult();
        }

        await writer.RecordAsync(read, Activity.Current?.Id, cancellationToken);
        return Results.Created((string?)null, new { read.EventId });
    }
}
