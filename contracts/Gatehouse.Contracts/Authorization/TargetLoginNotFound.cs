namespace Gatehouse.Contracts.Authorization;

/// <summary>There is no such target, or it does not declare the login; <paramref name="Detail"/> says which, for an administrator.</summary>
public sealed record TargetLoginNotFound(string Target, string Login, string Detail);
