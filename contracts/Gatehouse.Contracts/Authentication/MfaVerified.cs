namespace Gatehouse.Contracts.Authentication;

/// <summary>The second factor is right: the login is complete.</summary>
public sealed record MfaVerified(
    string UserName,
    IReadOnlyList<string> Roles);
