using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Gatehouse.Vocabulary;

/// <summary>
/// The destinations a grant lets a user forward ports to, as "host:port" patterns. The host is an IPv4 address, an IPv6
/// address in brackets, or a DNS name in which '*' stands for any run of letters, digits and '-' inside one label (it
/// never crosses a '.', and the last label must be written out, so "*" or "*.*" cannot mean everywhere). The port is a
/// number 1-65535, or '*' for any port. Names are compared without case; addresses by value ("[::1]" is "[0:0::1]").
/// The host is matched as the client sent it, before the target resolves it: a name pattern never matches an address.
/// </summary>
public static partial class ForwardingDestinations
{
    public const int MaxLength = 260;

    public const string Rule = "a forwarding destination is host:port: an IPv4 address, an [IPv6] address or a DNS name "
                               + "('*' inside a label, not in the last one), and a port 1-65535 or *";

    /// <summary>What is wrong with the pattern, for the operator; null when nothing is.</summary>
    public static string? Validate(string? pattern) =>
        pattern is null or "" ? "a forwarding destination is empty"
        : pattern.Length > MaxLength ? $"forwarding destination is longer than {MaxLength} characters"
        : Parse(pattern) is null ? $"'{Printable.Of(pattern, 80)}' is not a forwarding destination: {Rule}"
        : null;

    /// <summary>The pattern as stored: names in lower case, addresses in their usual form.</summary>
    public static string Normalise(string pattern) => Parse(pattern)?.ToString() ?? pattern;

    /// <summary>Whether any of the patterns lets a forward to this host and port (as the client sent them) through.</summary>
    public static bool Allows(IEnumerable<string>? patterns, string? host, uint port)
    {
        if (host is null || port is 0 or > 65535 || !IsRequestedHost(host))
        {
            return false;
        }

        return (patterns ?? []).Select(Parse).Any(p => p is not null && p.Matches(host, (int)port));
    }

    // .NET reads "[::1]" and "fe80::1%eth0" as addresses; the target's resolver does not, so they match nothing.
    private static bool IsRequestedHost(string host) =>
        host.Length is > 0 and <= 253 && host.IndexOfAny(['[', ']', '%']) < 0
        && (IPAddress.TryParse(host, out _) || NameRequest().IsMatch(host));

    private sealed record Destination(IPAddress? Address, Regex? Name, string Text, int? Port)
    {
        public bool Matches(string host, int port)
        {
            if (Port is { } only && only != port)
            {
                return false;
            }

            return IPAddress.TryParse(host, out var address)
                ? Address is not null && Address.Equals(address)
                : Name is not null && Name.IsMatch(host);
        }

        public override string ToString() =>
            (Address is { AddressFamily: AddressFamily.InterNetworkV6 } ? $"[{Address}]" : Text) + ":" + (Port?.ToString() ?? "*");
    }

    private static Destination? Parse(string pattern)
    {
        if (pattern.Length is 0 or > MaxLength || pattern.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return null;
        }

        var colon = pattern.LastIndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        var (host, portText) = (pattern[..colon], pattern[(colon + 1)..]);
        int? port = portText == "*" ? null
            : PortNumber().IsMatch(portText) && int.TryParse(portText, out var number) && number is >= 1 and <= 65535 ? number
            : -1;
        if (port == -1)
        {
            return null;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && !host.Contains('%')
                ? new Destination(v6, null, host, port)
                : null;
        }

        if (IPv4().IsMatch(host))
        {
            return IPAddress.TryParse(host, out var v4) ? new Destination(v4, null, v4.ToString(), port) : null;
        }

        var name = host.ToLowerInvariant();
        if (name.Length > 253 || !NamePattern().IsMatch(name))
        {
            return null;
        }

        var labels = name.Split('.');
        // The last label written out and not a number: "1.2.3" would read as an address on the target.
        if (labels.Any(l => l.Length > 63) || labels[^1].Contains('*') || labels[^1].All(char.IsAsciiDigit))
        {
            return null;
        }

        var glob = string.Join(@"\.", labels.Select(l => Regex.Escape(l).Replace(@"\*", "[a-z0-9-]*")));
        return new Destination(null, new Regex($"^{glob}\\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), name, port);
    }

    [GeneratedRegex(@"^[1-9][0-9]{0,4}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PortNumber();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IPv4();

    // Labels of letters, digits, '-' and '*', separated by single dots.
    [GeneratedRegex(@"^[a-z0-9*]([a-z0-9*-]*)?(\.[a-z0-9*]([a-z0-9*-]*)?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]*)?(\.[A-Za-z0-9]([A-Za-z0-9-]*)?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRequest();
}
