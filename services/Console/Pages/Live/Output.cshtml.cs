using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>
/// The live output stream (Server-Sent Events) of the gateway instance holding the session, passed through with the
/// person's own token: the gateway checks their roles and records the watch under their name. Each event is passed
/// on as it comes, never held back.
/// </summary>
public sealed class OutputModel(LiveGateways gateways, ServiceApis apis) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var (found, from) = await gateways.FindAsync(id, cancellationToken);
        if (found is null)
        {
            return from.Status == System.Net.HttpStatusCode.OK ? NotFound(LiveGateways.NotReached(id, from)) : StatusCode((int)from.Status);
        }

        var response = await apis.SendAsync(GatehouseService.SessionBroker,
            new HttpRequestMessage(HttpMethod.Get, new Uri(found.Gateway, $"api/sessions/{id:D}/output")), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        HttpContext.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            return StatusCode((int)response.StatusCode, await ServiceApis.ProblemTextAsync(response, cancellationToken));
        }

        Response.ContentType = "text/event-stream";
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Accel-Buffering"] = "no";
        await using var output = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await output.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The watcher left (the gateway sees its stream close and stops copying for it), or the gateway went away:
            // the browser's EventSource asks again, and is told the session is gone if it is.
        }

        return new EmptyResult();
    }
}
