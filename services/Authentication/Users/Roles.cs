using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Authentication.Users;

/// <summary>The roles a Gatehouse user can hold; API tokens carry them and every service authorizes on them.</summary>
public static class Roles
{
    public const string Admin = GatehousePolicies.Admin;
    public const string Approver = GatehousePolicies.Approver;
    public const string SocAnalyst = GatehousePolicies.SocAnalyst;
    public const string User = GatehousePolicies.User;

    public static IReadOnlyList<string> All => GatehousePolicies.Roles;

    /// <summary>Validates and normalises a role list: known roles only, lower case, no duplicates, sorted; none means user.</summary>
    public static IReadOnlyList<string> RoleList(this InputErrors errors, string field, IEnumerable<string>? roles)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = false;
        foreach (var role in roles ?? [])
        {
            var normalised = role?.Trim().ToLowerInvariant() ?? "";
            if (All.Contains(normalised))
            {
                result.Add(normalised);
            }
            else
            {
                errors.Add(field, $"Unknown role '{Truncate(role)}'; roles are {string.Join(", ", All)}.");
                unknown = true;
            }
        }

        if (result.Count == 0 && !unknown)
        {
            result.Add(User);
        }

        return result.ToArray();
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "...";
}
