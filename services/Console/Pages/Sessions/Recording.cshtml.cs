using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Sessions;

/// <summary>
/// The recording, passed through from the Audit service (which audits the read under the person's name): for the
/// player on the session page, and as a .cast download.
/// </summary>
public sealed class RecordingModel(ServiceApis apis) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, bool download, CancellationToken cancellationToken)
    {
        var response = await apis.SendAsync(GatehouseService.Audit, new HttpRequestMessage(HttpMethod.Get, $"{SessionSource.Sessions(User)}/{id:D}/recording"),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            return StatusCode(status);
        }

        HttpContext.Response.RegisterForDispose(response);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // Served as a download or as data the player fetches, never as a page: terminal output is attacker-controlled.
        return download
            ? File(body, "application/x-asciicast", $"{id:D}.cast")
            : File(body, "application/x-asciicast");
    }
}
