using System.Net;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Gateway.CertificateLogins;

/// <summary>
/// Whether a user certificate lets <c>user</c> in, as sshd decides it for TrustedUserCAKeys: signed by a trusted CA (not by
/// the user's own key), a user certificate, valid at the time given, naming the Gatehouse user name as a principal, its
/// source-address including the connecting address, not revoked. Critical options are honoured or the certificate is
/// refused: force-command is refused (the gateway brokers a session to a target, it cannot stand in a forced command for
/// it), an option OpenSSH does not define is refused as OpenSSH refuses it. Pure: the time and trust are passed in.
/// </summary>
public static class CertificateLogin
{
    public const string SourceAddress = "source-address";
    public const string ForceCommand = "force-command";

    /// <summary>The method a refused certificate's failed login names (ssh calls it publickey; operators want to tell them apart).</summary>
    public const string Method = "certificate";

    private static readonly IReadOnlySet<string> Honoured = new HashSet<string>(StringComparer.Ordinal) { SourceAddress };

    /// <summary>Null when the certificate lets the user in; otherwise why not, in words the user is shown.</summary>
    public static string? Refusal(SshCertificate certificate, string user, IPAddress source, DateTimeOffset now, CertificateTrust trust)
    {
        if (trust.Unavailable is { } unavailable)
        {
            return unavailable;
        }

        var named = $"certificate serial {certificate.Serial}";
        if (certificate.CriticalOptions.TryGetValue(ForceCommand, out var forced))
        {
            return $"{named} carries force-command \"{Shorten(forced)}\", which the gateway cannot honour (it opens a session "
                   + "on a target), so it refuses the certificate rather than ignore the option";
        }

        if (SshCertificateValidation.Check(certificate, SshCertificateType.User, trust.Cas, user, now, Honoured) is { } refused)
        {
            return $"{named} is not accepted: {refused.Detail}";
        }

        if (certificate.CriticalOptions.TryGetValue(SourceAddress, out var allowed)
            && SshCertificateValidation.CheckSourceAddress(allowed, source) is { } elsewhere)
        {
            return $"{named} is not accepted: {elsewhere.Detail}";
        }

        return trust.Revocations?.Revoked(certificate) is { } revoked ? $"{named} is revoked: {revoked}" : null;
    }

    private static string Shorten(string text) => Printable.Of(text, 64) + (text.Length > 64 ? "..." : "");
}
