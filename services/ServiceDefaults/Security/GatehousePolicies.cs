namespace Gatehouse.ServiceDefaults.Security;

/// <summary>Authorization policies every service offers, one per role the API tokens carry.</summary>
public static class GatehousePolicies
{
    public const string Admin = "admin";
    public const string Approver = "approver";
    public const string SocAnalyst = "soc-analyst";
    public const string User = "user";

    /// <summary>SOC analysts and administrators: who reads the audit trail and watches or ends live sessions.</summary>
    public const string SocAnalystOrAdmin = "soc-analyst-or-admin";

    /// <summary>Every role a token (and the gateway's access check) can carry; the Authentication service assigns only these.</summary>
    public static IReadOnlyList<string> Roles { get; } = [Admin, Approver, SocAnalyst, User];

    /// <summary>The claim the tokens carry roles in (one value per role).</summary>
    public const string RoleClaim = "role";
}
