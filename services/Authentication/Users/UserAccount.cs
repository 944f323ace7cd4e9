using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Users;

public sealed record RegisteredKey(
    string Algorithm,
    string PublicKey,
    string Fingerprint,
    string? Comment,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset AddedAt);

/// <summary>A user's TOTP authenticator: required at login once <see cref="Confirmed"/>.</summary>
public sealed record TotpAuthenticator(
    string ProtectedSecret,
    bool Confirmed,
    long LastUsedStep,
    IReadOnlyList<string> RecoveryCodeHashes);

/// <summary>A user as its stream of events builds it (an inline snapshot, so logins read one document).</summary>
/// <param name="TokenGeneration">
/// Grows each time the user is disabled or deleted; API tokens carry the value they were issued under, so a token issued
/// before a disable stays refused after the user is enabled again.
/// </param>
public sealed record UserAccount(
    Guid Id,
    string UserName,
    IReadOnlyList<string> Roles,
    bool Disabled,
    bool Deleted,
    IReadOnlyList<RegisteredKey> Keys,
    string? PasswordHash,
    TotpAuthenticator? Totp,
    DateTimeOffset CreatedAt,
    int TokenGeneration = 0)
{
    public bool MfaRequired => Totp is { Confirmed: true };

    public bool HasPassword => PasswordHash is not null;

    public static UserAccount Create(UserCreated e) =>
        new(e.UserId, e.UserName, e.Roles, false, false, [], null, null, e.OccurredAt);

    public UserAccount Apply(UserDisabled _) => this with { Disabled = true, TokenGeneration = TokenGeneration + 1 };

    public UserAccount Apply(UserEnabled _) => this with { Disabled = false };

    public UserAccount Apply(UserDeleted _) => this with { Deleted = true, Disabled = true, TokenGeneration = TokenGeneration + 1 };

    public UserAccount Apply(UserRolesChanged e) => this with { Roles = e.Roles };

    public UserAccount Apply(PublicKeyAdded e) => this with
    {
        Keys = [.. Keys, new RegisteredKey(e.Algorithm, e.PublicKey, e.Fingerprint, e.Comment, e.ExpiresAt, e.OccurredAt)],
    };

    public UserAccount Apply(PublicKeyRemoved e) => this with { Keys = Keys.Where(k => k.Fingerprint != e.Fingerprint).ToArray() };

    public UserAccount Apply(PasswordHashRecorded e) => this with { PasswordHash = e.PasswordHash };

    public UserAccount Apply(TotpSecretIssued e) => this with { Totp = new TotpAuthenticator(e.ProtectedSecret, false, 0, e.RecoveryCodeHashes) };

    public UserAccount Apply(MfaEnrolled _) => this with { Totp = Totp! with { Confirmed = true } };

    public UserAccount Apply(MfaRemoved _) => this with { Totp = null };

    public UserAccount Apply(TotpStepUsed e) => this with { Totp = Totp! with { LastUsedStep = Math.Max(Totp.LastUsedStep, e.TimeStep) } };

    public UserAccount Apply(RecoveryCodeConsumed e) => this with
    {
        Totp = Totp! with { RecoveryCodeHashes = Totp.RecoveryCodeHashes.Where(h => h != e.RecoveryCodeHash).ToArray() },
    };

    public RegisteredKey? FindKey(string fingerprint) => Keys.FirstOrDefault(k => k.Fingerprint == fingerprint);
}
