using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Vocabulary;

/// <summary>
/// The ports a grant lets a user listen on at the target (ssh -R), as patterns: a port 1-65535, a range "low-high", or
/// '*' for any port, which alone also lets the target pick one (ssh -R 0:...). The target listens on its loopback only:
/// a grant cannot open a target's other interfaces to its network.
/// </summary>
public static partial class RemoteForwardingPorts
{
    public const int MaxLength = 11;

    public const string Rule = "a remote forwarding port is a port 1-65535, a range such as 8000-8099, or * for any (and for one the target picks)";

    /// <summary>What is wrong with the pattern, for the operator; null when nothing is.</summary>
    public static string? Validate(string? pattern) =>
        pattern is null or "" ? "a remote forwarding port is empty"
        : Parse(pattern) is null ? $"'{new string(pattern.Take(20).Select(c => char.IsControl(c) ? '?' : c).ToArray())}' is not a remote forwarding port: {Rule}"
        : null;

    /// <summary>The pattern as stored: "8080", "8000-8099" or "*".</summary>
    public static string Normalise(string pattern) => Parse(pattern) is { } range ? Format(range) : pattern;

    /// <summary>Whether any pattern lets the target listen on <paramref name="port"/>; port 0 (the target picks) only under '*'.</summary>
    public static bool Allows(IEnumerable<string>? patterns, uint port)
    {
        if (port > 65535)
        {
            return false;
        }

        return (patterns ?? []).Select(Parse).Any(r => r is { } range && (range == Any || port != 0 && port >= range.Low && port <= range.High));
    }

    private static readonly (int Low, int High) Any = (0, 65535);

    private static (int Low, int High)? Parse(string pattern)
    {
        if (pattern == "*")
        {
            return Any;
        }

        var match = PortRange().Match(pattern);
        if (!match.Success)
        {
            return null;
        }

        var low = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var high = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : low;
        return low is >= 1 and <= 65535 && high is >= 1 and <= 65535 && low <= high ? (low, high) : null;
    }

    private static string Format((int Low, int High) range) =>
        range == Any ? "*" : range.Low == range.High ? $"{range.Low}" : $"{range.Low}-{range.High}";

    [GeneratedRegex(@"^([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PortRange();
}
