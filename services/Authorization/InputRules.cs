using System.Net;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;

namespace Gatehouse.Authorization;

/// <summary>The rules of this service's own input (target, role and login names, labels, networks), checked into the shared <see cref="InputErrors"/>.</summary>
public static class InputRules
{
    /// <summary>Labels as key=value pairs of lower-case words, e.g. env=prod, team=db.</summary>
    public static IReadOnlyDictionary<string, string> Labels(this InputErrors errors, string field, IReadOnlyDictionary<string, string>? labels)
    {
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (!LabelParts.IsValid(key) || !LabelParts.IsValid(value))
            {
                errors.Add(field, $"label '{key}={value}' must be key=value, {LabelParts.Rule}");
                continue;
            }

            normalized[key!] = value!;
        }

        return normalized;
    }

    public static IReadOnlyList<string> Cidrs(this InputErrors errors, string field, IEnumerable<string>? cidrs)
    {
        var networks = new List<string>();
        foreach (var cidr in cidrs ?? [])
        {
            if (cidr?.Trim().Split('/') is not [var text, var prefixText]
                || !IPAddress.TryParse(text, out var address)
                || !int.TryParse(prefixText, out var prefix)
                || prefix < 0
                || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                || !IPNetwork.TryParse(cidr.Trim(), out var network))
            {
                errors.Add(field, $"'{cidr}' is not a CIDR network such as 10.20.0.0/16 or 2001:db8::/32");
                continue;
            }

            // A typo such as 10.0.0.1/8 would silently widen or move the range: ask for the network address.
            if (!network.BaseAddress.Equals(address))
            {
                errors.Add(field, $"'{cidr}' has address bits set beyond its prefix length; did you mean {network}?");
                continue;
            }

            networks.Add(network.ToString());
        }

        return networks;
    }

    public static string TargetName(this InputErrors errors, string field, string? name)
    {
        var normalised = TargetNames.Normalise(name);
        if (!TargetNames.IsValid(normalised))
        {
            errors.Add(field, TargetNames.Rule);
        }

        return normalised;
    }

    /// <summary>Role names are lower-case words, like target names, so "DBA" and "dba" are one role.</summary>
    public static string RoleName(this InputErrors errors, string field, string? name)
    {
        var normalised = TargetNames.Normalise(name);
        if (!TargetNames.IsValid(normalised))
        {
            errors.Add(field, "a role name is 1-63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }

        return normalised;
    }

    public static string Login(this InputErrors errors, string field, string? login)
    {
        if (!LoginNames.IsValid(login))
        {
            errors.Add(field, $"'{login}' is not a login name: {LoginNames.Rule}");
        }

        return login ?? "";
    }
}
