using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Audit;

/// <summary>
/// The audit API's export of a search, passed through as it streams: the console holds no more than a buffer of it,
/// whatever the size of the store. The Audit service validates the filters and records the read under the person's name.
/// </summary>
public sealed class ExportModel(ServiceApis apis, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? format, CancellationToken cancellationToken)
    {
        if (format is not ("jsonl" or "ocsf"))
        {
            return BadRequest("format must be jsonl or ocsf");
        }

        var path = "api/audit/export" + AuditSearch.Of(Request.Query).ToQuery().Add("format", format);
        var response = await apis.SendAsync(GatehouseService.Audit, new HttpRequestMessage(HttpMethod.Get, path),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                return StatusCode((int)response.StatusCode, await ServiceApis.ProblemTextAsync(response, cancellationToken));
            }
        }

        HttpContext.Response.RegisterForDispose(response);
        var name = $"gatehouse-audit-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}{(format == "ocsf" ? ".ocsf" : "")}.jsonl";
        return File(await response.Content.ReadAsStreamAsync(cancellationToken), "application/x-ndjson", name);
    }
}
