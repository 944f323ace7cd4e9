namespace Gatehouse.Contracts.Authentication;

/// <summary>The password is right. When <paramref name="MfaRequired"/>, the login is complete only after <see cref="VerifyMfa"/>.</summary>
public sealed record PasswordAccepted(
    string UserName,
    bool MfaRequired,
    IReadOnlyList<string> Roles);
