namespace Gatehouse.Contracts;

/// <summary>
/// Gatehouse's user CA signed a certificate for a session's fresh key, so the gateway could sign in to the target with
/// it. The target's sshd logs the key id and serial, which tie its log lines to this event.
/// </summary>
/// <param name="SessionId">The gateway connection the certificate was made for.</param>
/// <param name="Principals">The logins the certificate is valid for on targets trusting the CA.</param>
/// <param name="Extensions">What the certificate permits (permit-pty, permit-port-forwarding when the grant allows forwarding, ...).</param>
/// <param name="SourceAddress">Where the user connected to the gateway from (the certificate's source-address is the gateway's, when configured).</param>
public sealed record UserCertificateIssued(
    Guid SessionId,
    string UserName,
    string Target,
    string Login,
    ulong Serial,
    string KeyId,
    IReadOnlyList<string> Principals,
    DateTimeOffset ValidAfter,
    DateTimeOffset ValidBefore,
    IReadOnlyList<string> Extensions,
    string? CertificateSourceAddress,
    string CaFingerprint,
    string KeyFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
