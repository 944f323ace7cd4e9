namespace Gatehouse.Contracts.Authentication;

/// <summary>No user of that name exists (never created, or deleted).</summary>
public sealed record UserNotFound(string UserName);
