using Gatehouse.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

namespace Gatehouse.WebConsole.Security;

/// <summary>
/// Which pages a role opens, decided on the server for every request (a hidden link is no protection). The services
/// check the same roles again on each call the page makes.
/// </summary>
public static class ConsolePolicies
{
    /// <summary>Alerts, every session and recording: SOC analysts and administrators.</summary>
    public const string Soc = "console-soc";

    /// <summary>Administration pages: administrators only.</summary>
    public const string Admin = "console-admin";

    public static AuthorizationBuilder AddConsolePolicies(this AuthorizationBuilder authorization) => authorization
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(Soc, policy => policy.RequireRole(GatehousePolicies.SocAnalyst, GatehousePolicies.Admin))
        .AddPolicy(Admin, policy => policy.RequireRole(GatehousePolicies.Admin));
}
