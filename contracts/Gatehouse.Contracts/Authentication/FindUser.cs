namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// Another service asks whether a user of this name exists (created and not deleted), before it records something
/// that names the user, such as a grant, or to check that an API token's user still holds what the token claims.
/// Answered with <see cref="UserFound"/> or <see cref="UserNotFound"/>.
/// </summary>
public sealed record FindUser(string UserName);
