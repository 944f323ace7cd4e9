using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Authentication.Credentials.Mfa;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Settings;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Authentication.Tokens.SigningKeys;

/// <summary>
/// The ES256 keys that sign API tokens, kept encrypted in this service's event store so that every instance signs
/// with the same key and publishes the same JWKS. Each key's id is its RFC 7638 thumbprint.
/// </summary>
public sealed class ApiSigningKeys(
    IDocumentStore store,
    SecretProtector protector,
    IOptions<AuthenticationSettings> options,
    StatePaths state,
    TimeProvider clock,
    ILogger<ApiSigningKeys> logger)
{
    /// <summary>How long a retired key stays published beyond the lifetime of its last token: clocks differ a little.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    // Decrypted once per key: tokens are signed and validated with these on every request.
    private readonly ConcurrentDictionary<string, OpenedKey> _opened = new(StringComparer.Ordinal);
    private volatile SigningKeySet? _keys;

    private SigningKeySet Keys => _keys ?? throw new InvalidOperationException("The API signing keys are not loaded yet.");

    /// <summary>Reads the keys; on the very first start makes the first one (or takes over the PEM file an earlier version wrote).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var keys = await session.Events.AggregateStreamAsync<SigningKeySet>(SigningKeySet.StreamId, token: cancellationToken);
        if (keys is null)
        {
            var (ecdsa, origin) = LegacyKey() is { } legacy ? (legacy, "taken over from " + LegacyFile) : (NewKey(), "created");
            var created = SigningKeySet.Rotate(null, KeyIdOf(ecdsa), ProtectedPrivateKey(ecdsa, KeyIdOf(ecdsa)), "system",
                clock.GetUtcNow(), TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            session.Events.StartStream<SigningKeySet>(SigningKeySet.StreamId, created);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                logger.LogInformation("API token signing key {KeyId} {Origin}", created.KeyId, origin);
            }
            catch (Exception ex) when (ex is JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.MartenCommandException)
            {
                // Another instance made the first key at the same moment: use that one.
            }

            await using var reread = store.QuerySession();
            keys = await reread.Events.AggregateStreamAsync<SigningKeySet>(SigningKeySet.StreamId, token: cancellationToken);
        }

        _keys = keys ?? throw new InvalidOperationException("The API signing keys could not be stored.");
    }

    /// <summary>Makes a new signing key; see <see cref="SigningKeySet.Rotate"/> for when it takes over.</summary>
    public async Task<StoredSigningKey> RotateAsync(ApiCaller caller, bool compromised, CancellationToken cancellationToken)
    {
        var settings = options.Value.Tokens;
        using var ecdsa = NewKey();
        var keyId = KeyIdOf(ecdsa);
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<SigningKeySet>(SigningKeySet.StreamId, cancellationToken);
        var created = SigningKeySet.Rotate(stream.Aggregate, keyId, ProtectedPrivateKey(ecdsa, keyId), caller.Name, caller.Now,
            settings.SigningKeyActivationDelay, settings.Lifetime, ClockSkew, compromised);
        stream.AppendOne(created);
        // The SOC sees who replaced the key that every service trusts (never the key itself).
        session.AppendAccessEvent(LoginStreams.For(caller.CorrelationId), new ApiSigningKeyRotated(keyId, created.SignsFrom,
            compromised, caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        await LoadAsync(cancellationToken);
        logger.LogWarning(
            "{Actor} rotated the API token signing key: {KeyId} signs from {SignsFrom:u}; previous keys withdrawn at once: {Compromised}",
            caller.Name, keyId, created.SignsFrom, compromised);
        return Keys.Keys.Single(k => k.KeyId == keyId);
    }

    public IReadOnlyList<StoredSigningKey> All => Keys.Keys;

    public SigningCredentials Current() => Opened(Keys.Signing(clock.GetUtcNow())).Signing;

    public string CurrentKeyId => Keys.Signing(clock.GetUtcNow()).KeyId;

    /// <summary>The public keys a token may be signed with right now; this service validates its own tokens with them.</summary>
    public IEnumerable<SecurityKey> ValidationKeys() =>
        Keys.Published(clock.GetUtcNow()).Select(k => (SecurityKey)Opened(k).Public);

    /// <summary>The published public keys as a JWKS document for <c>/.well-known/jwks.json</c>.</summary>
    public JsonObject Jwks() => new()
    {
        ["keys"] = new JsonArray(Keys.Published(clock.GetUtcNow()).Select(key =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(Opened(key).Public);
            return (JsonNode)new JsonObject
            {
                ["kty"] = jwk.Kty,
                ["crv"] = jwk.Crv,
                ["x"] = jwk.X,
                ["y"] = jwk.Y,
                ["kid"] = key.KeyId,
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.EcdsaSha256,
            };
        }).ToArray()),
    };

    private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static string Purpose(string keyId) => "gatehouse-api-signing-key:" + keyId;

    private string ProtectedPrivateKey(ECDsa ecdsa, string keyId) => protector.Protect(ecdsa.ExportPkcs8PrivateKey(), Purpose(keyId));

    private OpenedKey Opened(StoredSigningKey key) => _opened.GetOrAdd(key.KeyId, keyId =>
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(key.ProtectedPrivateKey, Purpose(keyId)), out _);
        return new OpenedKey(
            new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256),
            new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false))) { KeyId = keyId });
    });

    private sealed record OpenedKey(SigningCredentials Signing, ECDsaSecurityKey Public);

    private static string KeyIdOf(ECDsa ecdsa)
    {
        var publicKey = new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false)));
        return Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(publicKey).ComputeJwkThumbprint());
    }

    private string LegacyFile => options.Value.Tokens.SigningKeyFile ?? state.Resolve(Path.Combine(AuthenticationSettings.StateFolder, "api-signing-key.pem"));

    private ECDsa? LegacyKey()
    {
        if (!File.Exists(LegacyFile))
        {
            return null;
        }

        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(LegacyFile, Encoding.ASCII));
        return ecdsa.KeySize == 256
            ? ecdsa
            : throw new InvalidOperationException($"{LegacyFile} must hold a P-256 key for ES256, not a {ecdsa.KeySize}-bit key.");
    }
}
