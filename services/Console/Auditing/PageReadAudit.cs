using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Gatehouse.WebConsole.Auditing;

/// <summary>
/// Every page a signed-in person opens is recorded by the Audit service (<c>ConsolePageRead</c>: who, page, query,
/// status, browser address) before the page is sent, for every page in this one place. Fails closed: a read the audit
/// cannot record within <see cref="ConsoleSettings.PageReadAuditTimeout"/> is answered 503 and shows nothing, as the
/// SOC API answers no read it cannot record. Writes are not reported here (the service that makes them records them),
/// only the page a refused one shows again.
/// </summary>
public sealed class PageReadAudit(ServiceApis apis, IOptions<ConsoleSettings> settings, ILogger<PageReadAudit> logger) : IAsyncPageFilter
{
    private const string ReportedKey = "gatehouse-console:page-read-reported";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        var http = context.HttpContext;
        // A change that shows a page again (refused, with the form's reasons) shows its data too: that is a read as well.
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && executed.Result is not PageResult
            || http.User.Identity?.IsAuthenticated != true
            || executed.Exception is not null && !executed.ExceptionHandled
            || http.Items.ContainsKey(ReportedKey))
        {
            return;
        }

        // The status page a refusal re-executes to is the same read, reported once (and after a failed report, not again).
        http.Items[ReportedKey] = true;
        var report = Report(http, executed.Result);
        if (!await RecordAsync(report, http.RequestAborted))
        {
            executed.Result = new StatusCodeResult(StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>
    /// What the read was. A refused or missing page reaches the console's status page by re-execution: the read
    /// recorded is the page asked for, with the status it got (a 403 to an administration page is a read worth seeing).
    /// </summary>
    public static PageReadReport Report(HttpContext http, IActionResult? result)
    {
        var original = http.Features.Get<IStatusCodeReExecuteFeature>();
        var path = original is null ? http.Request.Path.ToUriComponent() : original.OriginalPathBase + original.OriginalPath;
        var query = (original is null ? http.Request.QueryString.Value : original.OriginalQueryString)?.TrimStart('?');
        var status = original is not null ? http.Response.StatusCode : result switch
        {
            PageResult { StatusCode: { } code } => code,
            IStatusCodeActionResult { StatusCode: { } code } => code,
            RedirectResult or RedirectToPageResult or LocalRedirectResult => StatusCodes.Status302Found,
            _ => http.Response.StatusCode,
        };
        return new PageReadReport(Truncate(path, 500), string.IsNullOrEmpty(query) ? null : Truncate(query, 2000), status,
            http.Connection.RemoteIpAddress?.ToString());
    }

    private async Task<bool> RecordAsync(PageReadReport report, CancellationToken requestAborted)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        bound.CancelAfter(settings.Value.PageReadAuditTimeout);
        try
        {
            var answer = await apis.PostAsync<RecordedRead>(GatehouseService.Audit, "api/audit/console/page-reads", report, bound.Token);
            if (answer.Succeeded)
            {
                return true;
            }

            logger.LogWarning("The audit did not record the read of {Page} ({Status}: {Problem}); the page is refused",
                report.Page, (int)answer.Status, answer.Problem);
            return false;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            logger.LogWarning("The audit did not record the read of {Page} within {Timeout}; the page is refused",
                report.Page, settings.Value.PageReadAuditTimeout);
            return false;
        }
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    public sealed record PageReadReport(string Page, string? Query, int StatusCode, string? SourceAddress);

    private sealed record RecordedRead(Guid EventId);
}
