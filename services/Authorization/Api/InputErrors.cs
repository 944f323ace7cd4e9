using System.Net;
using Gatehouse.Vocabulary;

namespace Gatehouse.Authorization.Api;

/// <summary>Collects what is wrong with a request, field by field, for a 400 ProblemDetails; nothing is stored while any is.</summary>
public sealed class InputErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public IResult ToResult() =>
        Results.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            title: "The request is invalid; nothing was stored");

    /// <summary>Labels as key=value pairs of lower-case words, e.g. env=prod, team=db.</summary>
    public IReadOnlyDictionary<string, string> Labels(string field, IReadOnlyDictionary<string, string>? labels)
    {
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (!LabelParts.IsValid(key) || !LabelParts.IsValid(value))
            {
                Add(field, $"label '{key}={value}' must be key=value, {LabelParts.Rule}");
                continue;
            }

            normalized[key!] = value!;
        }

        return normalized;
    }

    public IReadOnlyList<string> Cidrs(string field, IEnumerable<string>? cidrs)
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
                Add(field, $"'{cidr}' is not a CIDR network such as 10.20.0.0/16 or 2001:db8::/32");
                continue;
            }

            // A typo such as 10.0.0.1/8 would silently widen or move the range: ask for the network address.
            if (!network.BaseAddress.Equals(address))
            {
                Add(field, $"'{cidr}' has address bits set beyond its prefix length; did you mean {network}?");
                continue;
            }

            networks.Add(network.ToString());
        }

        return networks;
    }

    public string TargetName(string field, string? name)
    {
        var normalised = TargetNames.Normalise(name);
        if (!TargetNames.IsValid(normalised))
        {
            Add(field, TargetNames.Rule);
        }

        return normalised;
    }

    /// <summary>Role names are lower-case words, like target names, so "DBA" and "dba" are one role.</summary>
    public string RoleName(string field, string? name)
    {
        var normalised = TargetNames.Normalise(name);
        if (!TargetNames.IsValid(normalised))
        {
            Add(field, "a role name is 1-63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }

        return normalised;
    }

    public string Login(string field, string? login)
    {
        if (!LoginNames.IsValid(login))
        {
            Add(field, $"'{login}' is not a login name: {LoginNames.Rule}");
        }

        return login ?? "";
    }

    public string Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"is longer than {maxLength} characters");
        }

        return value?.Trim() ?? "";
    }
}
