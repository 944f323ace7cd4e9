using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Posture;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>
/// The gateway's own offer to its users, judged as the posture judges a target's (the same weak-algorithm rules) and by
/// what a bastion promises beyond that: post-quantum key exchange, and none of the NIST curves ssh-audit flags.
/// Pure: the offered names are passed in.
/// </summary>
public static class GatewayOffer
{
    private const string Fix = "Remove it from the gateway's SshServerOptions (the defaults offer none)";

    public static IReadOnlyList<PostureFinding> Judge(IReadOnlyCollection<string> keyExchanges, IReadOnlyCollection<string> hostKeyAlgorithms,
        IReadOnlyCollection<string> ciphers, IReadOnlyCollection<string> macs)
    {
        var findings = new List<PostureFinding>();
        Weak(findings, "gateway-weak-kex", FindingSeverity.High, "key exchange", keyExchanges.Where(PostureJudgement.IsWeakKeyExchange));
        Weak(findings, "gateway-weak-cipher", FindingSeverity.High, "ciphers", ciphers.Where(PostureJudgement.IsWeakCipher));
        Weak(findings, "gateway-weak-mac", FindingSeverity.Medium, "MACs", macs.Where(PostureJudgement.IsWeakMac));
        Weak(findings, "gateway-weak-host-key", FindingSeverity.High, "host key algorithms",
            hostKeyAlgorithms.Where(h => PostureJudgement.IsWeakHostKey(h) || h == "ssh-rsa"));
        var nist = keyExchanges.Concat(hostKeyAlgorithms).Where(a => a.Contains("nistp", StringComparison.Ordinal)).ToList();
        if (nist.Count > 0)
        {
            findings.Add(new PostureFinding("gateway-nist-curves", FindingSeverity.Low,
                $"The gateway offers NIST curves, which ssh-audit flags: {string.Join(", ", nist)}", Fix));
        }

        if (!keyExchanges.Any(SshAlgorithms.PostQuantumKeyExchanges.Contains))
        {
            findings.Add(new PostureFinding("gateway-no-post-quantum-kex", FindingSeverity.Medium,
                "The gateway offers no post-quantum key exchange: recorded sessions could be decrypted later, and OpenSSH 10.1 warns every user",
                "Put mlkem768x25519-sha256 (and sntrup761x25519-sha512) back into the gateway's key exchange algorithms"));
        }

        return findings;
    }

    private static void Weak(List<PostureFinding> findings, string code, FindingSeverity severity, string what, IEnumerable<string> offered)
    {
        var names = offered.ToList();
        if (names.Count > 0)
        {
            findings.Add(new PostureFinding(code, severity, $"The gateway offers weak {what}: {string.Join(", ", names)}", Fix));
        }
    }
}
