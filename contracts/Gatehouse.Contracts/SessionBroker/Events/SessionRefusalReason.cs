namespace Gatehouse.Contracts;

public enum SessionRefusalReason
{
    /// <summary>Authorization answered no (the reason is in its AccessDenied event and in the detail).</summary>
    AccessRefused,

    /// <summary>No answer from Authorization in time: deny.</summary>
    DecisionUnavailable,

    /// <summary>The vault holds no credential for the target and login.</summary>
    NoCredential,

    /// <summary>The target presented a host key other than the pinned one.</summary>
    HostKeyMismatch,

    /// <summary>The target could not be reached or refused the vaulted credential.</summary>
    TargetUnreachable,

    /// <summary>The SSH user name does not follow the gateway's syntax (user:login@target), so no credential was checked.</summary>
    UnreadableUserName,

    /// <summary>A shell, command or subsystem asked for on a connection signed in without a target, which carries only ProxyJump.</summary>
    ProxyJumpOnly,
    /// <summary>The posture policy of the target's labels refuses sessions to a target with its findings (e.g. a vulnerable sshd).</summary>
    TargetPosture,

    /// <summary>An OpenSSH user certificate offered to the gateway was not accepted (untrusted CA, expired, principal, option, revoked).</summary>
    CertificateRefused,
}
