using System.Collections.Frozen;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.AuditTrail;

/// <summary>
/// The Gatehouse user each access event is about, whoever acted: the user whose access was decided, the user name a
/// login tried, the user a session belongs to, the user a grant names. Every event type is listed, those about no
/// user too, so a new type cannot be stored without someone deciding what it is about.
/// </summary>
public static class EventSubject
{
    private static readonly Func<IAccessEvent, string?> NoUser = _ => null;

    private static readonly FrozenDictionary<Type, Func<IAccessEvent, string?>> Subjects = new Dictionary<Type, Func<IAccessEvent, string?>>
    {
        [typeof(AccessChangeRefused)] = NoUser,
        [typeof(AccountChangeRefused)] = e => ((AccountChangeRefused)e).UserName,
        [typeof(AccessDenied)] = e => ((AccessDenied)e).UserName,
        [typeof(AccessGranted)] = e => ((AccessGranted)e).UserName,
        [typeof(AccessRequestApproved)] = e => ((AccessRequestApproved)e).UserName,
        [typeof(AccessRequestApprovalRefused)] = e => ((AccessRequestApprovalRefused)e).UserName,
        [typeof(AccessRequestDenied)] = e => ((AccessRequestDenied)e).UserName,
        [typeof(AccessRequested)] = e => ((AccessRequested)e).UserName,
        [typeof(AccountLocked)] = e => ((AccountLocked)e).UserName,
        [typeof(AccountUnlocked)] = e => ((AccountUnlocked)e).UserName,
        [typeof(ApiSigningKeyRotated)] = NoUser,
        [typeof(ApiTokenIssued)] = e => ((ApiTokenIssued)e).UserName,
        [typeof(AuditChainVerified)] = e => ((AuditChainVerified)e).Verifier,
        [typeof(AuditChangeRefused)] = NoUser,
        [typeof(BastionDoctorReported)] = NoUser,
        [typeof(AuditTrailRead)] = e => ((AuditTrailRead)e).Reader,
        [typeof(CommandBlocked)] = e => ((CommandBlocked)e).UserName,
        [typeof(CommandExecuted)] = e => ((CommandExecuted)e).UserName,
        [typeof(CommandPolicyChanged)] = NoUser,
        [typeof(CommandPolicyRemoved)] = NoUser,
        [typeof(ConsolePageRead)] = e => ((ConsolePageRead)e).Reader,
        [typeof(ForwardingClosed)] = e => ((ForwardingClosed)e).UserName,
        [typeof(ForwardingOpened)] = e => ((ForwardingOpened)e).UserName,
        [typeof(ForwardingRefused)] = e => ((ForwardingRefused)e).UserName,
        [typeof(GatewayChangeRefused)] = NoUser,
        [typeof(GrantIssued)] = e => e is GrantIssued { SubjectKind: GrantSubjectKind.User } grant ? grant.Subject : null,
        [typeof(GrantRevoked)] = e => e is GrantRevoked { SubjectKind: GrantSubjectKind.User } grant ? grant.Subject : null,
        [typeof(LoginFailed)] = e => ((LoginFailed)e).UserName,
        [typeof(LoginSucceeded)] = e => ((LoginSucceeded)e).UserName,
        [typeof(LoginThrottled)] = e => ((LoginThrottled)e).UserName,
        [typeof(MfaEnrolled)] = e => ((MfaEnrolled)e).UserName,
        [typeof(MfaFailed)] = e => ((MfaFailed)e).UserName,
        [typeof(MfaRecoveryCodeUsed)] = e => ((MfaRecoveryCodeUsed)e).UserName,
        [typeof(MfaRemoved)] = e => ((MfaRemoved)e).UserName,
        [typeof(PasswordChanged)] = e => ((PasswordChanged)e).UserName,
        [typeof(PublicKeyAdded)] = e => ((PublicKeyAdded)e).UserName,
        [typeof(PublicKeyRemoved)] = e => ((PublicKeyRemoved)e).UserName,
        [typeof(RoleDefined)] = NoUser,
        [typeof(RoleMemberAdded)] = e => ((RoleMemberAdded)e).UserName,
        [typeof(RoleMemberRemoved)] = e => ((RoleMemberRemoved)e).UserName,
        [typeof(CertificateAuthorityKeyRetired)] = NoUser,
        [typeof(CertificateAuthorityRotated)] = NoUser,
        [typeof(SessionEnded)] = e => ((SessionEnded)e).UserName,
        [typeof(SessionRefused)] = e => ((SessionRefused)e).UserName,
        [typeof(SessionStarted)] = e => ((SessionStarted)e).UserName,
        [typeof(SessionTerminated)] = e => ((SessionTerminated)e).UserName,
        [typeof(SftpFileOperation)] = e => ((SftpFileOperation)e).UserName,
        [typeof(SourceAddressThrottled)] = NoUser,
        [typeof(TargetChanged)] = NoUser,
        [typeof(TargetCredentialRemoved)] = NoUser,
        [typeof(TargetCredentialStored)] = NoUser,
        [typeof(TargetHostKeyMismatched)] = NoUser,
        [typeof(TargetHostKeyPinned)] = NoUser,
        [typeof(TargetRegistered)] = NoUser,
        [typeof(TargetRemoved)] = NoUser,
        [typeof(TargetPostureOverridden)] = NoUser,
        [typeof(TargetSshInventoryChanged)] = NoUser,
        [typeof(UserCertificateIssued)] = e => ((UserCertificateIssued)e).UserName,
        [typeof(UserCertificateAccepted)] = e => ((UserCertificateAccepted)e).UserName,
        [typeof(UserCreated)] = e => ((UserCreated)e).UserName,
        [typeof(UserDeleted)] = e => ((UserDeleted)e).UserName,
        [typeof(UserDisabled)] = e => ((UserDisabled)e).UserName,
        [typeof(UserEnabled)] = e => ((UserEnabled)e).UserName,
        [typeof(UserRolesChanged)] = e => ((UserRolesChanged)e).UserName,
    }.ToFrozenDictionary();

    /// <summary>The event types whose subject this table decides (a test holds it to every contract event type).</summary>
    public static IEnumerable<Type> Types => Subjects.Keys;

    public static string? UserOf(IAccessEvent accessEvent) =>
        Subjects.TryGetValue(accessEvent.GetType(), out var subject) ? subject(accessEvent) : null;
}
