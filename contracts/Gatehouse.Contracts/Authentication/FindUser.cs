namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// Another service asks whether a user of this name exists (created and not deleted), before it records something
/// that names the user, such as a grant. Answered with <see cref="UserFound"/> or <see cref="UserNotFound"/>.
/// </summary>
public sealed record FindUser(string UserName);
