using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>One live session: its facts, its output as it happens (read-only), and terminating it with a reason.</summary>
public sealed class ShowModel(LiveGateways gateways) : PageModel
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

        if (await gateways.TerminateAsync(found.Gateway, id, Reason, cancellationToken) is not { } refused)
        {
            return Redirect($"/live?terminated={id:D}");
        }

        Live = found;
        (Problem, var status) = refused;
        Response.StatusCode = (int)status;
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
