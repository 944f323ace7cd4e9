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

    /// <summary>Validates and normalises a role list: known roles only, lower case, no duplicates, sorted.</summary>
    public static IReadOnlyList<string> Normalise(IEnumerable<string>? roles, List<string> errors)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var role in roles ?? [])
        {
            var normalised = role?.Trim().ToLowerInvariant() ?? "";
            if (All.Contains(normalised))
            {
                result.Add(normalised);
            }
            else
            {
                errors.Add($"Unknown role '{Truncate(role)}'; roles are {string.Join(", ", All)}.");
            }
        }

        if (result.Count == 0 && errors.Count == 0)
        {
            result.Add(User);
        }

        return result.ToArray();
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "...";
}
