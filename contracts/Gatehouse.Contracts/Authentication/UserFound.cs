namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The user exists; <paramref name="UserName"/> is the name as Authentication spells it (lower case), to be stored as such.
/// The rest is what an API token of the user is checked against: whether it is disabled, the roles it holds now, and
/// <paramref name="TokenGeneration"/>, which grows each time the user is disabled, so tokens issued before stay refused.
/// </summary>
public sealed record UserFound(string UserName, Guid UserId, bool Disabled, IReadOnlyList<string> Roles, int TokenGeneration);
