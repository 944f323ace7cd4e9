namespace Gatehouse.Contracts.Authentication;

/// <summary>The user exists; <paramref name="UserName"/> is the name as Authentication spells it (lower case), to be stored as such.</summary>
public sealed record UserFound(string UserName);
