using Gatehouse.Authentication.Tokens.SigningKeys;

namespace Gatehouse.Authentication.Tokens.ViewingSigningKeys;

/// <summary>One API signing key as an operator sees it (never the private half).</summary>
/// <param name="State">signing, next (published, signs from <paramref name="SignsFrom"/>), retiring (published until its tokens expire) or retired.</param>
public sealed record SigningKeyView(string KeyId, string State, DateTimeOffset CreatedAt, DateTimeOffset SignsFrom, DateTimeOffset? PublishedUntil)
{
    public static SigningKeyView Of(StoredSigningKey key, string signingKeyId, DateTimeOffset now) => new(
        key.KeyId,
        key.KeyId == signingKeyId ? "signing"
            : key.SignsFrom > now ? "next"
            : key.PublishedUntil is null || key.PublishedUntil > now ? "retiring"
            : "retired",
        key.CreatedAt, key.SignsFrom, key.PublishedUntil);
}

public static class ViewSigningKeys
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapGet("/signing-keys", List);

    /// <summary>The public keys every service validates tokens with, open to anyone (OpenID's JWKS document).</summary>
    public static void MapJwks(IEndpointRouteBuilder open) =>
        open.MapGet("/.well-known/jwks.json", (ApiSigningKeys keys) => Results.Json(keys.Jwks()));

    public static IResult List(ApiSigningKeys keys, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var signing = keys.CurrentKeyId;
        return Results.Ok(keys.All.Reverse().Select(k => SigningKeyView.Of(k, signing, now)));
    }
}
