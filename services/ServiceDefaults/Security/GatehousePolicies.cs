namespace Gatehouse.ServiceDefaults.Security;

/// <summary>Authorization policies every service offers, one per role the API tokens carry.</summary>
public static class GatehousePolicies
{
    public const string Admin = "admin";
    public const string Approver = "approver";
    public const string SocAnalyst = "soc-analyst";

    /// <summary>The claim the tokens carry roles in (one value per role).</summary>
    public const string RoleClaim = "role";
}
