namespace Gatehouse.Authentication.Users;

// Credential material stays inside this service: these events live in the user's stream next to the published
// access events (PasswordChanged, MfaEnrolled, ...) but are never forwarded to the bus.

/// <summary>The Argon2id hash (PHC string) of a user's new password.</summary>
public sealed record PasswordHashRecorded(Guid UserId, string PasswordHash, DateTimeOffset RecordedAt);

/// <summary>A TOTP secret (encrypted) and recovery code hashes were issued; they take effect once a code confirms them.</summary>
public sealed record TotpSecretIssued(Guid UserId, string ProtectedSecret, IReadOnlyList<string> RecoveryCodeHashes, DateTimeOffset IssuedAt);

/// <summary>A TOTP time step was used to log in; codes of that step or earlier are refused from now on.</summary>
public sealed record TotpStepUsed(Guid UserId, long TimeStep, DateTimeOffset UsedAt);

/// <summary>A recovery code was used and is gone.</summary>
public sealed record RecoveryCodeConsumed(Guid UserId, string RecoveryCodeHash, DateTimeOffset UsedAt);
