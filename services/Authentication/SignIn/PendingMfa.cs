namespace Gatehouse.Authentication.SignIn;

/// <summary>
/// A first factor accepted on one connection (<see cref="Id"/> = its correlation id) that waits for the TOTP code:
/// a second factor is only ever checked for a user who passed the first on the same connection, shortly before.
/// </summary>
public sealed record PendingMfa(string Id, string UserName, string Method, string? KeyFingerprint, DateTimeOffset ExpiresAt);
