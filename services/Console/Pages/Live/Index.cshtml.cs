using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>Every session open now, on every gateway instance the console knows.</summary>
public sealed class IndexModel(LiveGateways gateways) : PageModel
{
    public LiveSessionList Live { get; private set; } = new([], [], System.Net.HttpStatusCode.OK);

    /// <summary>The session just terminated from its page, and why, shown once.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Terminated { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Live = await gateways.ListAsync(cancellationToken);
        return Live.Status == System.Net.HttpStatusCode.OK ? Page() : StatusCode((int)Live.Status);
    }
}
