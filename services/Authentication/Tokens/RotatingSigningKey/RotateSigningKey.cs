using Gatehouse.Authentication.Tokens.SigningKeys;
using Gatehouse.Authentication.Tokens.ViewingSigningKeys;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authentication.Tokens.RotatingSigningKey;

/// <summary>
/// An admin replaces the API signing key (routinely, or when staff with access to it leave). Nobody is logged out:
/// the new key is published first and signs later, the old one stays published until its tokens have expired.
/// </summary>
public static class RotateSigningKey
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/signing-keys/rotate", Handle);

    /// <param name="compromised">
    /// The old key leaked: the new one signs at once and the old ones are withdrawn at once (everyone signs in again).
    /// </param>
    public static async Task<IResult> Handle(ApiCaller caller, ApiSigningKeys keys, bool? compromised,
        CancellationToken cancellationToken)
    {
        var created = await keys.RotateAsync(caller, compromised ?? false, cancellationToken);
        return Results.Ok(SigningKeyView.Of(created, keys.CurrentKeyId, caller.Now));
    }
}
