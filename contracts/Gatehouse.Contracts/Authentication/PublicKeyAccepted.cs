namespace Gatehouse.Contracts.Authentication;

/// <summary>The key belongs to the user. When <paramref name="MfaRequired"/>, the login is complete only after <see cref="VerifyMfa"/>.</summary>
public sealed record PublicKeyAccepted(
    string UserName,
    bool MfaRequired,
    IReadOnlyList<string> Roles,
    string KeyFingerprint);
