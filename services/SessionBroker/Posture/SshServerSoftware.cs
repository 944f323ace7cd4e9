using System.Text.RegularExpressions;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>
/// What an SSH identification line says about the server's software: the product, its upstream version and, for a
/// distribution's package, the distribution and the package's full version, so a backported fix is judged by the
/// distribution's revision (<c>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3</c> is Debian's package <c>1:9.2p1-2+deb12u3</c>).
/// </summary>
public sealed partial record SshServerSoftware(string Product, DebianVersion? Upstream, string? Distribution, DebianVersion? Package)
{
    // Debian and Ubuntu ship OpenSSH with epoch 1; Raspbian is Debian's package rebuilt.
    private const long DistributionEpoch = 1;

    public bool IsOpenSsh => Product == "OpenSSH";

    public static SshServerSoftware Parse(string identification)
    {
        var line = identification.Trim();
        var match = Identification().Match(line);
        if (!match.Success)
        {
            return new SshServerSoftware(line, null, null, null);
        }

        var product = match.Groups["product"].Value;
        var version = match.Groups["version"].Value;
        // The OpenBSD release (no portable suffix) is the first portable one's code.
        if (product == "OpenSSH" && Portable().IsMatch(version) is false && BareRelease().IsMatch(version))
        {
            version += "p1";
        }

        var upstream = DebianVersion.TryParse(version);
        var comment = match.Groups["comment"].Value;
        var packaged = Packaged().Match(comment);
        if (upstream is null || !packaged.Success)
        {
            return new SshServerSoftware(product, upstream, null, null);
        }

        var distribution = packaged.Groups["distribution"].Value is "Raspbian" ? "debian" : packaged.Groups["distribution"].Value.ToLowerInvariant();
        var package = DebianVersion.TryParse($"{DistributionEpoch}:{upstream.Upstream}-{packaged.Groups["revision"].Value}");
        return package is null ? new SshServerSoftware(product, upstream, null, null) : new SshServerSoftware(product, upstream, distribution, package);
    }

    [GeneratedRegex(@"^SSH-(?:2\.0|1\.99)-(?<product>[A-Za-z][A-Za-z0-9.+-]*?)[_-](?<version>[0-9][A-Za-z0-9.]*)(?:\s+(?<comment>.*))?$")]
    private static partial Regex Identification();

    [GeneratedRegex(@"^(?<distribution>Debian|Ubuntu|Raspbian)-(?<revision>[A-Za-z0-9.+~]+)$")]
    private static partial Regex Packaged();

    [GeneratedRegex(@"p[0-9]+$")]
    private static partial Regex Portable();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+$")]
    private static partial Regex BareRelease();
}
