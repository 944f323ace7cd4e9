using Gatehouse.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages;

public sealed class IndexModel : PageModel
{
    public IReadOnlyList<string> Roles { get; private set; } = [];

    public bool Soc { get; private set; }

    public bool Admin { get; private set; }

    public IActionResult OnGet()
    {
        Roles = User.FindAll(GatehousePolicies.RoleClaim).Select(c => c.Value).ToList();
        Admin = User.IsInRole(GatehousePolicies.Admin);
        Soc = Admin || User.IsInRole(GatehousePolicies.SocAnalyst);
        // An analyst is paged about alerts: they are the first thing to see.
        return Soc ? Redirect("/alerts") : Page();
    }
}
