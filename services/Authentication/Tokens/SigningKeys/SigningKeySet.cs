namespace Gatehouse.Authentication.Tokens.SigningKeys;

// The API signing keys are a stream of this service's own (never forwarded to the bus): private keys are in it,
// encrypted with the secrets key, and every instance of the service reads the same keys from it.

/// <summary>
/// A new ES256 key. It is published in the JWKS at once and signs from <paramref name="SignsFrom"/>, so every other
/// service has fetched it before the first token it signs arrives. The keys before it stay published until
/// <paramref name="PreviousKeysPublishedUntil"/>, when the last token they signed has expired.
/// </summary>
public sealed record ApiSigningKeyCreated(
    string KeyId,
    string ProtectedPrivateKey,
    DateTimeOffset SignsFrom,
    DateTimeOffset? PreviousKeysPublishedUntil,
    string Actor,
    DateTimeOffset CreatedAt);

public sealed record StoredSigningKey(string KeyId, string ProtectedPrivateKey, DateTimeOffset CreatedAt, DateTimeOffset SignsFrom,
    DateTimeOffset? PublishedUntil);

/// <summary>All signing keys ever made, oldest first: pure decisions about which one signs and which are published, the time passed in.</summary>
public sealed record SigningKeySet(IReadOnlyList<StoredSigningKey> Keys)
{
    /// <summary>The one stream that holds the keys.</summary>
    public static readonly Guid StreamId = new("6a7d1c52-2f3e-4b0a-9d55-0e4a5b1c7f01");

    public static SigningKeySet Create(ApiSigningKeyCreated e) => new SigningKeySet([]).Apply(e);

    public SigningKeySet Apply(ApiSigningKeyCreated e) => new([
        // A key already retiring keeps the earlier of its own end and this one (a compromise ends them all now).
        .. Keys.Select(k => k.PublishedUntil is null || e.PreviousKeysPublishedUntil < k.PublishedUntil
            ? k with { PublishedUntil = e.PreviousKeysPublishedUntil }
            : k),
        new StoredSigningKey(e.KeyId, e.ProtectedPrivateKey, e.CreatedAt, e.SignsFrom, null),
    ]);

    /// <summary>The key that signs at <paramref name="now"/>: the newest one whose time has come.</summary>
    public StoredSigningKey Signing(DateTimeOffset now) =>
        Keys.Where(k => k.SignsFrom <= now).MaxBy(k => k.SignsFrom) ?? Keys.MinBy(k => k.SignsFrom)!;

    /// <summary>The keys other services must know at <paramref name="now"/>: the coming one, the signing one, and those whose tokens may still be alive.</summary>
    public IReadOnlyList<StoredSigningKey> Published(DateTimeOffset now) =>
        Keys.Where(k => k.PublishedUntil is null || k.PublishedUntil > now).ToArray();

    /// <summary>
    /// A rotation: the new key signs after <paramref name="activationDelay"/> (long enough for every service to refresh
    /// its copy of the JWKS); the keys before it stay published for a token lifetime plus the allowed clock skew after that.
    /// When the old key is <paramref name="compromised"/>, the new key signs at once and the old ones are withdrawn at
    /// once: every token they signed stops working, which is the point.
    /// </summary>
    public static ApiSigningKeyCreated Rotate(SigningKeySet? current, string keyId, string protectedPrivateKey, string actor,
        DateTimeOffset now, TimeSpan activationDelay, TimeSpan tokenLifetime, TimeSpan clockSkew, bool compromised = false)
    {
        if (current is null || current.Keys.Count == 0)
        {
            return new ApiSigningKeyCreated(keyId, protectedPrivateKey, now, null, actor, now);
        }

        if (compromised)
        {
            return new ApiSigningKeyCreated(keyId, protectedPrivateKey, now, now, actor, now);
        }

        var signsFrom = now + activationDelay;
        return new ApiSigningKeyCreated(keyId, protectedPrivateKey, signsFrom, signsFrom + tokenLifetime + clockSkew, actor, now);
    }
}
