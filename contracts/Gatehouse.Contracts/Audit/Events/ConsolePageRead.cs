namespace Gatehouse.Contracts;

/// <summary>
/// Someone opened a page of the web console: who, which page with which query, what it answered, and from where. The
/// console reports it with the person's own token before the page is sent; the Audit service records it.
/// </summary>
/// <param name="Reader">The API token's subject: the signed-in person.</param>
/// <param name="Page">The page's path as asked.</param>
/// <param name="Query">The query string as asked, without the leading '?'; null when there was none.</param>
/// <param name="StatusCode">The HTTP status the page answered.</param>
/// <param name="ReportedBy">The address the report came from (the console's own), so a report made other than by the console shows.</param>
/// <param name="SourceAddress">The browser's address, as the console saw it.</param>
public sealed record ConsolePageRead(
    string Reader,
    string Page,
    string? Query,
    int StatusCode,
    string? ReportedBy,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
