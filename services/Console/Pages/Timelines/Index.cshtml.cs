using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Timelines;

/// <summary>Where an analyst names the user or target whose timeline to open.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet(string? user, string? target) => (user?.Trim(), target?.Trim()) switch
    {
        ({ Length: > 0 } name, _) => Redirect($"/timelines/users/{Uri.EscapeDataString(name)}"),
        (_, { Length: > 0 } name) => Redirect($"/timelines/targets/{Uri.EscapeDataString(name)}"),
        _ => Page(),
    };
}
