using Gatehouse.SessionBroker.Vault;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.CertificateAuthority;

/// <summary>Which CA: the one targets trust for user logins (TrustedUserCAKeys), or the one that signs host keys (@cert-authority).</summary>
public enum CaKind
{
    User,
    Host,
}

// Each CA is a stream of this service's own (never forwarded to the bus): its private keys are in it, sealed with the
// vault key, so every gateway instance signs with the same CA.

/// <summary>A new CA key. It is trusted (listed by <c>gatehouse ca show</c>) at once and signs from <paramref name="SignsFrom"/>.</summary>
public sealed record CaKeyCreated(
    Guid RingId,
    CaKind Kind,
    string PublicKey,
    string Fingerprint,
    SealedSecret PrivateKey,
    DateTimeOffset SignsFrom,
    string CreatedBy,
    DateTimeOffset CreatedAt);

/// <summary>A CA key was sealed again under the active vault key (a vault key rotation), so the old vault key can go.</summary>
public sealed record CaKeyResealed(Guid RingId, CaKind Kind, string Fingerprint, SealedSecret PrivateKey, string ResealedBy, DateTimeOffset ResealedAt);

/// <summary>An old CA key is no longer trusted: certificates it signed stop working once targets drop it too.</summary>
public sealed record CaKeyRetired(Guid RingId, CaKind Kind, string Fingerprint, string RetiredBy, DateTimeOffset RetiredAt);

public sealed record CaKey(string PublicKey, string Fingerprint, SealedSecret PrivateKey, DateTimeOffset SignsFrom, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? RetiredAt)
{
    public OpenSshPublicKey Parsed() => OpenSshPublicKey.ParseLine(PublicKey).Key!;
}

/// <summary>
/// Every key a CA ever had, oldest first. Pure decisions with the time passed in: which key signs, which are trusted,
/// what a rotation or a retirement records.
/// </summary>
public sealed record CaKeyRing(Guid Id, CaKind Kind, IReadOnlyList<CaKey> Keys)
{
    public static Guid StreamId(CaKind kind) => DerivedIds.From("gatehouse-ca", kind.ToString());

    /// <summary>The vault slot a CA key is sealed under: bound to its fingerprint, so a sealed key moved to another entry does not open.</summary>
    public static (string Target, string Login) SealingSlot(CaKind kind, string fingerprint) => ("#ca", $"{kind}:{fingerprint}");

    public static CaKeyRing Create(CaKeyCreated e) => new CaKeyRing(e.RingId, e.Kind, []).Apply(e);

    public CaKeyRing Apply(CaKeyCreated e) => this with
    {
        Keys = [.. Keys, new CaKey(e.PublicKey, e.Fingerprint, e.PrivateKey, e.SignsFrom, e.CreatedAt, e.CreatedBy, null)],
    };

    public CaKeyRing Apply(CaKeyResealed e) => this with
    {
        Keys = Keys.Select(k => k.Fingerprint == e.Fingerprint ? k with { PrivateKey = e.PrivateKey } : k).ToArray(),
    };

    public CaKeyRing Apply(CaKeyRetired e) => this with
    {
        Keys = Keys.Select(k => k.Fingerprint == e.Fingerprint ? k with { RetiredAt = e.RetiredAt } : k).ToArray(),
    };

    /// <summary>The keys targets must trust: every key not retired, the coming one included.</summary>
    public IReadOnlyList<CaKey> Trusted => Keys.Where(k => k.RetiredAt is null).ToArray();

    /// <summary>The key that signs at <paramref name="now"/>: the newest trusted one whose time has come.</summary>
    public CaKey? Signing(DateTimeOffset now) =>
        Trusted.Where(k => k.SignsFrom <= now).MaxBy(k => k.SignsFrom);

    /// <summary>
    /// A new key. The first signs at once; a later one signs from <paramref name="signsFrom"/> (never earlier than now),
    /// giving operators time to add it to every target while the current key still signs. Old keys stay trusted until retired.
    /// </summary>
    public static CaKeyCreated Rotate(CaKeyRing? current, CaKind kind, string publicKey, string fingerprint, SealedSecret privateKey,
        DateTimeOffset signsFrom, string actor, DateTimeOffset now) =>
        new(StreamId(kind), kind, publicKey, fingerprint, privateKey,
            current is null || current.Trusted.Count == 0 || signsFrom < now ? now : signsFrom, actor, now);

    /// <summary>Retires a trusted key that no longer signs; null and why when it may not be retired.</summary>
    public (CaKeyRetired? Retired, string? Refusal) Retire(string fingerprint, string actor, DateTimeOffset now)
    {
        var key = Trusted.FirstOrDefault(k => k.Fingerprint == fingerprint);
        if (key is null)
        {
            return (null, $"The {Kind.ToString().ToLowerInvariant()} CA has no trusted key {fingerprint}");
        }

        if (Signing(now) == key)
        {
            return (null, $"{fingerprint} is the key that signs now; rotate first and retire it once its successor signs");
        }

        return (new CaKeyRetired(Id, Kind, fingerprint, actor, now), null);
    }
}
