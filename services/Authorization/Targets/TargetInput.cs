using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Targets;

/// <summary>What registering and changing a target both check: where it is, its labels and its logins.</summary>
public static class TargetInput
{
    public static (string Address, int Port, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Logins) Validate(
        InputErrors errors, string? address, int? port, IReadOnlyDictionary<string, string>? labels, IEnumerable<string>? logins)
    {
        var trimmed = errors.Required("address", address, 253);
        if (trimmed.Length > 0 && Uri.CheckHostName(trimmed) == UriHostNameType.Unknown)
        {
            errors.Add("address", $"'{trimmed}' is neither a host name nor an IP address");
        }

        var portNumber = port ?? 22;
        if (portNumber is < 1 or > 65535)
        {
            errors.Add("port", "must be between 1 and 65535");
        }

        var validLabels = errors.Labels("labels", labels);
        var validLogins = (logins ?? []).Select(l => errors.Login("logins", l)).Distinct().ToList();
        if (validLogins.Count == 0)
        {
            errors.Add("logins", "name at least one login that exists on the target");
        }

        return (trimmed, portNumber, validLabels, validLogins);
    }
}
