using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.SessionBroker.Vault;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.CertificateAuthority;

/// <summary>
/// Gatehouse's SSH certificate authorities (user and host). Private keys are sealed with the vault key in this service's
/// event store, opened only in memory to sign, and never returned by any API; the first key of each CA is made on first use.
/// </summary>
public sealed class GatehouseCa(
    IDocumentStore store,
    VaultCipher cipher,
    IOptions<CertificateAuthoritySettings> settings,
    TimeProvider clock,
    ILogger<GatehouseCa> logger)
{
    /// <summary>How long a certificate may be valid at most; Gatehouse's certificates are short-lived by design.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(400);

    private readonly ConcurrentDictionary<string, SshCertificateAuthority> _opened = new(StringComparer.Ordinal);

    /// <summary>
    /// Signs a host certificate for <paramref name="hostKey"/> naming <paramref name="principals"/> (host names), valid
    /// from <paramref name="validAfter"/> to <paramref name="validBefore"/>, with the host CA's signing key.
    /// </summary>
    public Task<SshCertificate> SignHostCertificateAsync(OpenSshPublicKey hostKey, IReadOnlyList<string> principals,
        DateTimeOffset validAfter, DateTimeOffset validBefore, string keyId, CancellationToken cancellationToken) =>
        SignAsync(CaKind.Host, new SshCertificateRequest(hostKey, SshCertificateType.Host, NewSerial(), keyId, principals, validAfter, validBefore),
            cancellationToken);

    /// <summary>Signs a session's user certificate with the user CA, as <see cref="UserCertificateFor"/> decides it.</summary>
    public Task<SshCertificate> SignUserCertificateAsync(OpenSshPublicKey sessionKey, string login, string keyId, bool portForwarding,
        CancellationToken cancellationToken) =>
        SignAsync(CaKind.User, UserCertificateFor(sessionKey, login, keyId, portForwarding, settings.Value, clock.GetUtcNow()), cancellationToken);

    /// <summary>
    /// A session's user certificate: the target login as its one principal, valid from a little before now for a few
    /// minutes, a pty always, port forwarding only when the grant allows it, never agent or X11 forwarding (the gateway
    /// relays neither), and the gateway's addresses as source-address when configured.
    /// </summary>
    public static SshCertificateRequest UserCertificateFor(OpenSshPublicKey sessionKey, string login, string keyId, bool portForwarding,
        CertificateAuthoritySettings settings, DateTimeOffset now)
    {
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal) { ["permit-pty"] = "" };
        if (portForwarding)
        {
            extensions["permit-port-forwarding"] = "";
        }

        var critical = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.SourceAddresses.Count > 0)
        {
            critical["source-address"] = string.Join(',', settings.SourceAddresses);
        }

        return new SshCertificateRequest(sessionKey, SshCertificateType.User, NewSerial(), keyId, [login],
            now - settings.UserCertificateValidBefore, now + settings.UserCertificateLifetime, critical, extensions);
    }

    /// <summary>Signs with the signing key of <paramref name="kind"/>'s CA; the request is checked by the CA before it signs.</summary>
    public async Task<SshCertificate> SignAsync(CaKind kind, SshCertificateRequest request, CancellationToken cancellationToken)
    {
        if (request.ValidBefore - request.ValidAfter > MaxValidity)
        {
            throw new ArgumentException($"A Gatehouse certificate is valid for at most {MaxValidity.TotalDays} days");
        }

        var ring = await RingAsync(kind, cancellationToken);
        var key = ring.Signing(clock.GetUtcNow()) ?? throw new InvalidOperationException($"The {kind} CA has no key that signs now");
        return Open(kind, key).Sign(request);
    }

    /// <summary>The CA's trusted public keys, the coming one included: what targets (or clients) must trust.</summary>
    public async Task<CaKeyRing> RingAsync(CaKind kind, CancellationToken cancellationToken)
    {
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<CaKeyRing>(CaKeyRing.StreamId(kind), cancellationToken) is { } ring) return ring;
        }

        await using var session = store.LightweightSession();
        session.Events.StartStream<CaKeyRing>(CaKeyRing.StreamId(kind), NewKey(null, kind, clock.GetUtcNow(), "gatehouse", clock.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the first key of the Gatehouse {Kind} CA", kind);
        }
        catch (Exception e) when (e is JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.MartenCommandException)
        {
            // Another instance made the first key at the same moment: use that one.
        }

        await using var reread = store.QuerySession();
        return await reread.LoadAsync<CaKeyRing>(CaKeyRing.StreamId(kind), cancellationToken)
               ?? throw new InvalidOperationException($"The {kind} CA could not be stored");
    }

    /// <summary>
    /// Makes a new key that signs from <paramref name="signsFrom"/> (default: now plus the rotation lead); old keys stay
    /// trusted. The rotation is an audit event too, stored with the key (all or nothing).
    /// </summary>
    public async Task<CaKey> RotateAsync(CaKind kind, DateTimeOffset? signsFrom, ApiCaller caller, CancellationToken cancellationToken)
    {
        await RingAsync(kind, cancellationToken);
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<CaKeyRing>(CaKeyRing.StreamId(kind), cancellationToken);
        var created = NewKey(stream.Aggregate, kind, signsFrom ?? now + settings.Value.RotationLead, caller.Name, now);
        stream.AppendOne(created);
        session.AppendAccessEvent(AuditStreamId(kind), new CertificateAuthorityRotated(KindName(kind), stream.Aggregate?.Signing(now)?.Fingerprint,
            created.Fingerprint, created.PublicKey, created.SignsFrom, caller.Name, caller.SourceAddress, caller.CorrelationId, EventIds.New(now), now));
        await session.SaveChangesAsync(cancellationToken);
        logger.LogWarning("{Actor} rotated the Gatehouse {Kind} CA: {Fingerprint} signs from {SignsFrom:u}; earlier keys stay trusted until retired",
            caller.Name, kind, created.Fingerprint, created.SignsFrom);
        return CaKeyRing.Create(created).Keys[0];
    }

    /// <summary>Stops trusting an old key, recorded as an audit event with it; null when done, otherwise why not.</summary>
    public async Task<string?> RetireAsync(CaKind kind, string fingerprint, ApiCaller caller, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<CaKeyRing>(CaKeyRing.StreamId(kind), cancellationToken);
        if (stream.Aggregate is null) return $"The {KindName(kind)} CA has no keys yet";
        var now = clock.GetUtcNow();
        var (retired, refusal) = stream.Aggregate.Retire(fingerprint, caller.Name, now);
        if (retired is null) return refusal;
        stream.AppendOne(retired);
        session.AppendAccessEvent(AuditStreamId(kind), new CertificateAuthorityKeyRetired(KindName(kind), fingerprint,
            stream.Aggregate.Signing(now)?.Fingerprint, caller.Name, caller.SourceAddress, caller.CorrelationId, EventIds.New(now), now));
        await session.SaveChangesAsync(cancellationToken);
        if (_opened.TryRemove(fingerprint, out var opened)) opened.Dispose();
        logger.LogWarning("{Actor} retired the Gatehouse {Kind} CA key {Fingerprint}", caller.Name, kind, fingerprint);
        return null;
    }

    /// <summary>
    /// Where a CA's audit events are kept: a stream of their own, because the ring's stream holds the sealed private keys
    /// and stays inside this service.
    /// </summary>
    public static Guid AuditStreamId(CaKind kind) => DerivedIds.From("gatehouse-ca-audit", kind.ToString());

    private static string KindName(CaKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// Appends to <paramref name="session"/> a re-sealing under the active vault key of every trusted CA key sealed under
    /// an older one, with the vault's own re-seal (all or nothing). Returns the keys no configured vault key opens; when
    /// there are any, nothing must be saved.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ResealAsync(IDocumentSession session, VaultCipher cipher, string actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var unopenable = new List<string>();
        foreach (var kind in Enum.GetValues<CaKind>())
        {
            var stream = await session.Events.FetchForWriting<CaKeyRing>(CaKeyRing.StreamId(kind), cancellationToken);
            foreach (var key in stream.Aggregate?.Trusted.Where(k => k.PrivateKey.KeyId != cipher.ActiveKeyId) ?? [])
            {
                if (!cipher.CanOpen(key.PrivateKey))
                {
                    unopenable.Add($"{kind} CA key {key.Fingerprint} (vault key {key.PrivateKey.KeyId})");
                    continue;
                }

                var (target, login) = CaKeyRing.SealingSlot(kind, key.Fingerprint);
                var der = cipher.Open(key.PrivateKey, target, login);
                stream.AppendOne(new CaKeyResealed(CaKeyRing.StreamId(kind), kind, key.Fingerprint, cipher.Seal(der, target, login), actor, now));
                Array.Clear(der);
            }
        }

        return unopenable;
    }

    /// <summary>A random serial: unique enough that revocation by serial names one certificate, with no counter shared between instances.</summary>
    public static ulong NewSerial()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes) | 1;
    }

    private CaKeyCreated NewKey(CaKeyRing? current, CaKind kind, DateTimeOffset signsFrom, string actor, DateTimeOffset now)
    {
        using var ca = SshCertificateAuthority.Generate(settings.Value.KeyType);
        var fingerprint = ca.PublicKey.Fingerprint;
        var privateKey = ca.ExportPkcs8();
        try
        {
            var (target, login) = CaKeyRing.SealingSlot(kind, fingerprint);
            return CaKeyRing.Rotate(current, kind, ca.PublicKey.Line, fingerprint, cipher.Seal(privateKey, target, login), signsFrom, actor, now);
        }
        finally
        {
            Array.Clear(privateKey);
        }
    }

    private SshCertificateAuthority Open(CaKind kind, CaKey key) => _opened.GetOrAdd(key.Fingerprint, _ =>
    {
        var (target, login) = CaKeyRing.SealingSlot(kind, key.Fingerprint);
        if (!cipher.CanOpen(key.PrivateKey))
        {
            throw new CryptographicException(
                $"The {kind} CA key {key.Fingerprint} is sealed under vault key '{key.PrivateKey.KeyId}', which is not configured");
        }

        var der = cipher.Open(key.PrivateKey, target, login);
        try
        {
            var ca = SshCertificateAuthority.FromPkcs8(key.Parsed().Algorithm, der);
            return ca.PublicKey.Fingerprint == key.Fingerprint
                ? ca
                : throw new CryptographicException($"The sealed {kind} CA key does not match its public key {key.Fingerprint}");
        }
        finally
        {
            Array.Clear(der);
        }
    });
}
