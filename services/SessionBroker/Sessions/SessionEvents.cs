using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// The one place a connection's events are built: each is stamped with its actor (the signed-in user), the source
/// address, the connection's correlation id, a new event id and the time, both from the clock.
/// </summary>
public sealed class SessionEvents(string user, string sourceAddress, string correlationId, TimeProvider clock)
{
    public static SessionEvents For(SignedInUser user, TimeProvider clock) =>
        new(user.User, user.SourceAddress, user.CorrelationId, clock);

    public string User => user;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <param name="clientSsh">What the user's client and the gateway negotiated; <paramref name="targetSsh"/> the gateway and the target.</param>
    public SessionStarted Started(Guid sessionId, AccessAllowed access, SessionKind kind, DateTimeOffset at, SshAlgorithms? clientSsh,
        SshAlgorithms? targetSsh) =>
        new(sessionId, user, access.Target, $"{access.TargetAddress}:{access.TargetPort}", access.Login, kind, user, sourceAddress,
            correlationId, EventIds.New(at), at, clientSsh, targetSsh);

    /// <summary>The user's certificate from a trusted CA was their first factor; its serial and key id name it in the CA's records.</summary>
    public UserCertificateAccepted CertificateAccepted(Ssh.Certificates.SshCertificate certificate) =>
        Stamped((id, at) => new UserCertificateAccepted(user, certificate.Serial, certificate.KeyId, certificate.Principals,
            certificate.ValidAfterTime, certificate.ValidBeforeTime,
            certificate.CriticalOptions.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}").ToArray(),
            certificate.CaFingerprint, certificate.PublicKey.Fingerprint, user, sourceAddress, correlationId, id, at));

    /// <summary>
    /// A refused user certificate as the failed login it is, so the rules that count failed logins (brute force, spraying)
    /// see certificate probing too; the SessionRefused beside it says why.
    /// </summary>
    public LoginFailed CertificateLoginFailed(Ssh.Certificates.SshCertificate certificate) =>
        Stamped((id, at) => new LoginFailed(user, Gateway.CertificateLogins.CertificateLogin.Method, LoginFailureReason.CertificateRefused,
            certificate.PublicKey.Fingerprint, user, sourceAddress, correlationId, id, at));

    public SessionRefused Refused(Guid sessionId, string target, string login, SessionRefusalReason reason, string detail) =>
        Stamped((id, at) => new SessionRefused(sessionId, user, target, login, reason, detail, user, sourceAddress, correlationId, id, at));

    public SessionTerminated Terminated(Guid sessionId, AccessAllowed access, string requestedBy, string reason) =>
        Stamped((id, at) => new SessionTerminated(sessionId, user, access.Target, access.Login, requestedBy, reason, requestedBy,
            sourceAddress, correlationId, id, at));

    public SessionEnded Ended(Guid sessionId, AccessAllowed access, DateTimeOffset startedAt, long bytesFromClient, long bytesToClient,
        int? exitStatus, SessionEndReason reason, string? recordingSha256, string? recording) =>
        Stamped((id, at) => new SessionEnded(sessionId, user, access.Target, access.Login, startedAt, bytesFromClient, bytesToClient,
            exitStatus, reason, recordingSha256, user, sourceAddress, correlationId, id, at, recording));

    public CommandExecuted Executed(Guid sessionId, int sequence, AccessAllowed access, string commandLine, CommandCapture capture,
        IReadOnlyList<ShellCommand>? commands) =>
        Stamped((id, at) => new CommandExecuted(sessionId, sequence, user, access.Target, access.Login, commandLine, capture, user,
            sourceAddress, correlationId, id, at, commands));

    public CommandBlocked Blocked(Guid sessionId, int sequence, AccessAllowed access, string commandLine, string blockedCommand,
        SessionCommandPolicy? policy, CommandCapture capture, IReadOnlyList<ShellCommand>? commands) =>
        Stamped((id, at) => new CommandBlocked(sessionId, sequence, user, access.Target, access.Login, commandLine, blockedCommand,
            policy?.PolicyId ?? Guid.Empty, policy?.Name ?? "unverifiable-line", policy?.Action ?? CommandPolicyAction.Deny, capture,
            user, sourceAddress, correlationId, id, at, commands));

    public SftpFileOperation FileOperation(Guid sessionId, int sequence, AccessAllowed access, SftpOperation operation, string path,
        string? newPath) =>
        Stamped((id, at) => new SftpFileOperation(sessionId, sequence, user, access.Target, access.Login, operation, path, newPath,
            user, sourceAddress, correlationId, id, at));

    public TargetHostKeyMismatched HostKeyMismatched(AccessAllowed access, string offeredHostKey) =>
        Stamped((id, at) => new TargetHostKeyMismatched(access.Target, $"{access.TargetAddress}:{access.TargetPort}",
            PinnedHostKey.TryParse(access.TargetHostKey)?.Fingerprint ?? "", PinnedHostKey.TryParse(offeredHostKey)?.Fingerprint ?? "",
            user, sourceAddress, correlationId, id, at));

    public UserCertificateIssued CertificateIssued(Guid sessionId, AccessAllowed access, Ssh.Certificates.SshCertificate certificate) =>
        Stamped((id, at) => new UserCertificateIssued(sessionId, user, access.Target, access.Login, certificate.Serial, certificate.KeyId,
            certificate.Principals, certificate.ValidAfterTime, certificate.ValidBeforeTime, certificate.Extensions.Keys.Order(StringComparer.Ordinal).ToList(),
            certificate.CriticalOptions.GetValueOrDefault("source-address"), certificate.CaFingerprint, certificate.PublicKey.Fingerprint,
            user, sourceAddress, correlationId, id, at));

    public ForwardingOpened ForwardOpened(Guid forwardingId, AccessAllowed access, string host, int port, string originatorHost,
        int originatorPort, ForwardingKind kind = ForwardingKind.Local) =>
        Stamped((id, at) => new ForwardingOpened(forwardingId, user, access.Target, access.Login, kind, host, port,
            originatorHost, originatorPort, access.GrantId, user, sourceAddress, correlationId, id, at));

    public ForwardingClosed ForwardClosed(ForwardingOpened opened, long bytesFromClient, long bytesToClient, ForwardingEndReason reason,
        string? endedBecause) =>
        Stamped((id, at) => new ForwardingClosed(opened.ForwardingId, user, opened.Target, opened.Login, opened.Kind, opened.DestinationHost,
            opened.DestinationPort, opened.OccurredAt, bytesFromClient, bytesToClient, reason, user, sourceAddress, correlationId, id, at,
            endedBecause));

    public ForwardingRefused ForwardRefused(Guid forwardingId, string target, string login, ForwardingKind kind, string? host, int? port,
        ForwardingRefusalReason reason, string message) =>
        Stamped((id, at) => new ForwardingRefused(forwardingId, user, target, login, kind, host, port, reason, message, user, sourceAddress,
            correlationId, id, at));

    private T Stamped<T>(Func<Guid, DateTimeOffset, T> build)
    {
        var now = clock.GetUtcNow();
        return build(EventIds.New(now), now);
    }
}
