using System.Net;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Certificates;

/// <summary>Why a certificate is not trusted, in words an operator can act on.</summary>
public enum SshCertificateProblem
{
    WrongType,
    UnknownCa,
    BadSignature,
    NotYetValid,
    Expired,
    WrongPrincipal,
    UnhonouredCriticalOption,
    SourceAddressMismatch,
}

public sealed record SshCertificateRefusal(SshCertificateProblem Problem, string Detail);

/// <summary>
/// Decides whether to trust a certificate, as sshd does: the right type, signed by a trusted CA, valid at the time given,
/// naming the principal, and no critical option the caller cannot honour. Pure: the time is passed in.
/// </summary>
public static class SshCertificateValidation
{
    /// <summary>The critical options OpenSSH defines for user certificates; host certificates define none.</summary>
    public static IReadOnlySet<string> UserCriticalOptions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "force-command", "source-address", "verify-required",
    };

    /// <summary>Null when the certificate is trusted; otherwise what is wrong with it.</summary>
    public static SshCertificateRefusal? Check(SshCertificate certificate, SshCertificateType expectedType,
        IEnumerable<OpenSshPublicKey> trustedCas, string principal, DateTimeOffset now, IReadOnlySet<string> honouredCriticalOptions)
    {
        if (certificate.Type != expectedType)
        {
            return new(SshCertificateProblem.WrongType, $"a {certificate.Type.ToString().ToLowerInvariant()} certificate where a "
                                                         + $"{expectedType.ToString().ToLowerInvariant()} certificate is needed");
        }

        if (!trustedCas.Any(ca => ca.Blob.AsSpan().SequenceEqual(certificate.SignatureKey)))
        {
            return new(SshCertificateProblem.UnknownCa, $"signed by CA {certificate.CaFingerprint}, which is not trusted here");
        }

        if (!certificate.HasValidSignature())
        {
            return new(SshCertificateProblem.BadSignature, $"the signature of CA {certificate.CaFingerprint} does not verify");
        }

        var seconds = (ulong)Math.Max(0, now.ToUnixTimeSeconds());
        if (seconds < certificate.ValidAfter)
        {
            return new(SshCertificateProblem.NotYetValid, $"not valid before {certificate.ValidAfterTime:u}");
        }

        if (seconds >= certificate.ValidBefore)
        {
            return new(SshCertificateProblem.Expired, $"expired at {certificate.ValidBeforeTime:u}");
        }

        // No principals would mean "anyone" to OpenSSH; here a certificate must name who it is for.
        if (!certificate.Principals.Contains(principal, StringComparer.Ordinal))
        {
            return new(SshCertificateProblem.WrongPrincipal, certificate.Principals.Count == 0
                ? $"names no principal, so not '{principal}'"
                : $"names {string.Join(", ", certificate.Principals.Take(8))}, not '{principal}'");
        }

        foreach (var option in certificate.CriticalOptions.Keys)
        {
            if (!honouredCriticalOptions.Contains(option))
            {
                return new(SshCertificateProblem.UnhonouredCriticalOption, $"carries the critical option '{(option.Length > 64 ? option[..64] : option)}', which is not honoured here");
            }
        }

        return null;
    }

    /// <summary>
    /// The source-address critical option: a comma-separated list of addresses and CIDR blocks the certificate may be used
    /// from. Null when <paramref name="source"/> is in it; otherwise why not (a list that does not read allows nothing).
    /// </summary>
    public static SshCertificateRefusal? CheckSourceAddress(string allowed, IPAddress source)
    {
        if (source.IsIPv4MappedToIPv6) source = source.MapToIPv4();
        var entries = allowed.Split(',');
        foreach (var entry in entries)
        {
            var network = entry.Contains('/') ? IPNetwork.TryParse(entry, out var block) ? block : (IPNetwork?)null
                : IPAddress.TryParse(entry, out var single) ? new IPNetwork(single, single.GetAddressBytes().Length * 8) : null;
            if (network is null)
            {
                return new(SshCertificateProblem.SourceAddressMismatch, $"its source-address '{Shorten(entry)}' is not an address or CIDR block");
            }

            if (network.Value.Contains(source)) return null;
        }

        return new(SshCertificateProblem.SourceAddressMismatch, $"it may be used only from {Shorten(allowed)}, not from {source}");
    }

    private static string Shorten(string text) => text.Length > 128 ? text[..128] + "..." : text;
}
