using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>One live session: its facts, its output as it happens (read-only), and terminating it with a reason.</summary>
public sealed class ShowModel(LiveGateways gateways, ServiceApis apis) : PageModel
{
    public LiveSessionAt? Live { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>Why the session is ended: shown to its user as the gateway ends it.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var (found, from) = await gateways.FindAsync(id, cancellationToken);
        if (found is null)
        {
            return NotReached(id, from);
        }

        Live = found;
        return Page();
    }

    public async Task<IActionResult> OnPostTerminateAsync(Guid id, CancellationToken cancellationToken)
    {
        var (found, from) = await gateways.FindAsync(id, cancellationToken);
        if (found is null)
        {
            return NotReached(id, from);
        }

        // The gateway checks the reason and the roles, then sends TerminateSession on the bus; its refusal is shown as given.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(found.Gateway, $"api/sessions/{id:D}/terminate"))
        {
            Content = JsonContent.Create(new { reason = Reason }, options: ServiceApis.Json),
        };
        using var response = await apis.SendAsync(GatehouseService.SessionBroker, request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return Redirect($"/live?terminated={id:D}");
        }

        Live = found;
        Problem = await ServiceApis.ProblemTextAsync(response, cancellationToken);
        Response.StatusCode = (int)response.StatusCode;
        return Page();
    }

    private IActionResult NotReached(Guid id, LiveSessionList from)
    {
        if (from.Status != System.Net.HttpStatusCode.OK)
        {
            return StatusCode((int)from.Status);
        }

        Problem = LiveGateways.NotReached(id, from);
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
