namespace Gatehouse.SessionBroker.Gateway.CertificateLogins;

/// <summary>
/// Users signing in to the gateway with OpenSSH user certificates, from <c>Gatehouse:Gateway:UserCertificates</c>: the
/// same two files sshd reads (TrustedUserCAKeys, RevokedKeys), so a team's existing SSH CA and its ssh-keygen -k
/// revocation list work unchanged. Relative paths are under <c>Gatehouse:State</c>. Each file is read again at the
/// first certificate login after it changed (its last write time, its length, or another file renamed over it), so a new
/// KRL takes effect without a restart.
/// </summary>
public sealed class UserCertificateSettings
{
    /// <summary>One CA public key a line ("# comments" and blank lines allowed); unset: certificate logins are off.</summary>
    public string? TrustedCaKeysFile { get; set; }

    /// <summary>An OpenSSH KRL (ssh-keygen -k); unset: nothing is revoked. Set but unreadable: every certificate login is refused.</summary>
    public string? RevokedKeysFile { get; set; }
}
