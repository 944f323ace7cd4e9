using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>Every session open now and every open forward, on every gateway instance the console knows; a forward is ended from here.</summary>
public sealed class IndexModel(LiveGateways gateways) : PageModel
{
    public LiveSessionList Live { get; private set; } = new([], [], [], System.Net.HttpStatusCode.OK);

    /// <summary>The session just terminated from its page, shown once.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Terminated { get; set; }

    /// <summary>The forward just terminated from this page, shown once.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? TerminatedForward { get; set; }

    /// <summary>Why the forward is ended: recorded with its end, as a session's reason is.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The forward the terminate form was for, and the gateway's refusal of it.</summary>
    public (Guid Forward, string Problem)? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Live = await gateways.ListAsync(cancellationToken);
        return Live.Status == System.Net.HttpStatusCode.OK ? Page() : StatusCode((int)Live.Status);
    }

    public async Task<IActionResult> OnPostTerminateForwardAsync(Guid id, CancellationToken cancellationToken)
    {
        Live = await gateways.ListAsync(cancellationToken);
        if (Live.Status != System.Net.HttpStatusCode.OK)
        {
            return StatusCode((int)Live.Status);
        }

        if (Live.Forwards.FirstOrDefault(f => f.Forward.ForwardingId == id) is not { } found)
        {
            Refused = (id, LiveGateways.NotReached(id, Live, "forward"));
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        if (await gateways.TerminateAsync(found.Gateway, id, Reason, cancellationToken) is not { } refused)
        {
            return Redirect($"/live?terminatedForward={id:D}");
        }

        Refused = (id, refused.Problem);
        Response.StatusCode = (int)refused.Status;
        return Page();
    }
}
