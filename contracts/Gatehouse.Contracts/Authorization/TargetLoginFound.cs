namespace Gatehouse.Contracts.Authorization;

/// <summary>The target is registered and declares the login; <paramref name="Target"/> is its registered name.</summary>
public sealed record TargetLoginFound(string Target, string Login);
