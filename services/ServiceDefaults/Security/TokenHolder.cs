using Gatehouse.Contracts.Authentication;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>An API token's user as the Authentication service holds them now: what the token is checked against.</summary>
public sealed record TokenHolder(string UserName, Guid UserId, bool Disabled, IReadOnlyList<string> Roles, int TokenGeneration)
{
    public static TokenHolder From(UserFound found) => new(found.UserName, found.UserId, found.Disabled, found.Roles, found.TokenGeneration);
}

/// <summary>Claims the Authentication service puts in every API token besides <c>sub</c> and <c>role</c>.</summary>
public static class ApiTokenClaims
{
    public const string UserName = "sub";

    /// <summary>The user's id: a token never passes for another user of the same name.</summary>
    public const string UserId = "uid";

    /// <summary>The user's <see cref="TokenHolder.TokenGeneration"/> when the token was issued.</summary>
    public const string TokenGeneration = "tgen";
}
