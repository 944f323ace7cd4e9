using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>
/// A target's posture from what its SSH server told the gateway: known vulnerabilities of its version (a distribution's
/// package judged by that distribution's fixed revision), weak algorithms offered, no strict key exchange, no
/// post-quantum key exchange, the host key types. Pure: the same observation and table give the same findings.
/// </summary>
public static class PostureJudgement
{
    private static readonly string[] WeakKeyExchanges =
        ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "rsa1024-sha1"];

    public static IReadOnlyList<PostureFinding> Judge(TargetSshServer server, VulnerabilityTable table)
    {
        var findings = new List<PostureFinding>();
        var software = SshServerSoftware.Parse(server.Version);
        foreach (var vulnerability in table.Vulnerabilities)
        {
            if (Affects(vulnerability, software, server) is { } how)
            {
                findings.Add(new PostureFinding(vulnerability.Id, vulnerability.Severity, $"{vulnerability.Title} ({vulnerability.Component}; {how})",
                    FixFor(vulnerability, software), Vulnerability: true));
            }
        }

        if (!software.IsOpenSsh || software.Upstream is null)
        {
            findings.Add(new PostureFinding("unknown-version", FindingSeverity.Info,
                $"'{server.Version}' is not an OpenSSH version the table can judge; only the offered algorithms were", 
                "Keep the server's own vendor advisories in view, or put OpenSSH on the target"));
        }

        Weak(findings, "weak-kex", FindingSeverity.Medium, "key exchange", server.KeyExchanges.Where(IsWeakKeyExchange),
            "Remove SHA-1 and 1024-bit key exchange from KexAlgorithms in sshd_config");
        Weak(findings, "weak-cipher", FindingSeverity.Medium, "ciphers", server.Ciphers.Where(IsWeakCipher),
            "Remove CBC, 3DES, RC4 and Blowfish ciphers from Ciphers in sshd_config");
        Weak(findings, "weak-mac", FindingSeverity.Low, "MACs", server.Macs.Where(IsWeakMac),
            "Remove MD5, SHA-1 and 64-bit MACs from MACs in sshd_config");
        Weak(findings, "weak-host-key", FindingSeverity.Medium, "host key algorithms", server.HostKeyAlgorithms.Where(IsWeakHostKey),
            "Remove the DSA host key (HostKey) and generate an Ed25519 one");
        if (server.HostKeyAlgorithms.Count > 0 && server.HostKeyAlgorithms.All(h => h is "ssh-rsa" or "ssh-dss"))
        {
            findings.Add(new PostureFinding("host-key-sha1", FindingSeverity.Medium,
                "The server can sign its host key only with SHA-1 (ssh-rsa/ssh-dss)", "Offer rsa-sha2-512/256 or an Ed25519 host key"));
        }

        if (!server.StrictKex)
        {
            findings.Add(new PostureFinding("no-strict-kex", FindingSeverity.Low,
                "No strict key exchange (kex-strict-s-v00@openssh.com), the Terrapin fix", "Upgrade the SSH server to OpenSSH 9.6 or a patched package"));
        }

        if (!server.KeyExchanges.Any(SshAlgorithms.PostQuantumKeyExchanges.Contains))
        {
            findings.Add(new PostureFinding("no-post-quantum-kex", FindingSeverity.Low,
                "No post-quantum key exchange: recorded sessions could be decrypted later (harvest now, decrypt later)",
                "Upgrade to OpenSSH 9.0 or later (sntrup761x25519) or 9.9 (mlkem768x25519) and keep them in KexAlgorithms"));
        }

        return findings;
    }

    /// <summary>The highest severity among <paramref name="findings"/>; null when there are none.</summary>
    public static FindingSeverity? Highest(IEnumerable<PostureFinding> findings) =>
        findings.Select(f => (FindingSeverity?)f.Severity).Max();

    /// <summary>Why the vulnerability applies, or null when it does not.</summary>
    private static string? Affects(KnownVulnerability vulnerability, SshServerSoftware software, TargetSshServer server)
    {
        if (vulnerability.WhenTerrapin)
        {
            var modes = server.Ciphers.Where(c => c.StartsWith("chacha20-poly1305", StringComparison.Ordinal))
                .Concat(server.Ciphers.Any(c => c.EndsWith("-cbc", StringComparison.Ordinal)) && server.Macs.Any(m => m.Contains("-etm@", StringComparison.Ordinal))
                    ? ["CBC with an EtM MAC"] : [])
                .ToList();
            return !server.StrictKex && modes.Count > 0 ? $"no strict key exchange and {string.Join(", ", modes)} offered" : null;
        }

        if (!software.IsOpenSsh || software.Upstream is not { } upstream
            || vulnerability.Affected is not { } affected || vulnerability.Fixed is not { } fixedIn
            || upstream < affected || upstream >= fixedIn)
        {
            return null;
        }

        if (software is { Distribution: { } distribution, Package: { } package }
            && vulnerability.DistributionFixes.GetValueOrDefault(distribution)?.FirstOrDefault(f => f.Upstream == package.Upstream) is { } fix)
        {
            return package < fix ? $"{distribution} package {package} is before the fixed {fix}" : null;
        }

        return software.Distribution is { } packaged
            ? $"OpenSSH {upstream}; the table knows no {packaged} fix for {upstream}, so the upstream version is judged"
            : $"OpenSSH {upstream} is before the fixed {fixedIn}";
    }

    private static string FixFor(KnownVulnerability vulnerability, SshServerSoftware software) =>
        vulnerability.WhenTerrapin
            ? "Upgrade to OpenSSH 9.6 or a patched package (strict key exchange), or remove chacha20-poly1305 and CBC/EtM from sshd_config"
            : software.Distribution is { } distribution && vulnerability.DistributionFixes.GetValueOrDefault(distribution) is { Count: > 0 } fixes
                ? $"Install the {distribution} security update ({string.Join(" or ", fixes)} or later); see {vulnerability.Source}"
                : $"Upgrade to OpenSSH {vulnerability.Fixed} or a distribution package with the fix; see {vulnerability.Source}";

    private static void Weak(List<PostureFinding> findings, string code, FindingSeverity severity, string what, IEnumerable<string> offered, string fix)
    {
        var names = offered.ToList();
        if (names.Count > 0)
        {
            findings.Add(new PostureFinding(code, severity, $"Weak {what} offered: {string.Join(", ", names)}", fix));
        }
    }

    /// <summary>SHA-1 or 1024-bit key exchange; shared with the doctor's judgement of the gateway's own offer.</summary>
    public static bool IsWeakKeyExchange(string kex) => WeakKeyExchanges.Contains(kex);

    public static bool IsWeakHostKey(string hostKeyAlgorithm) => hostKeyAlgorithm is "ssh-dss";

    public static bool IsWeakCipher(string cipher) =>
        cipher.EndsWith("-cbc", StringComparison.Ordinal) || cipher.Contains("cbc@", StringComparison.Ordinal)
        || cipher.StartsWith("3des", StringComparison.Ordinal) || cipher.StartsWith("arcfour", StringComparison.Ordinal)
        || cipher.StartsWith("blowfish", StringComparison.Ordinal) || cipher.StartsWith("cast128", StringComparison.Ordinal) || cipher == "none";

    public static bool IsWeakMac(string mac) =>
        mac.StartsWith("hmac-md5", StringComparison.Ordinal) || mac.StartsWith("hmac-sha1", StringComparison.Ordinal)
        || mac.StartsWith("umac-64", StringComparison.Ordinal) || mac.StartsWith("hmac-ripemd", StringComparison.Ordinal) || mac == "none";
}
