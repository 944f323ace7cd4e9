using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Credentials.Mfa;

/// <summary>
/// Encrypts secrets at rest (TOTP secrets, the API signing keys) with AES-256-GCM. The ciphertext names its key id
/// (<c>keyId:base64</c>) and is bound to what it belongs to, so a secret copied onto another user's stream does not decrypt.
/// </summary>
public sealed class SecretProtector
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly string _currentKeyId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public SecretProtector(IOptions<AuthenticationSettings> options)
    {
        var settings = options.Value;
        _currentKeyId = settings.SecretsKeyId;
        _keys[_currentKeyId] = DecodeKey(settings.SecretsKey, $"{AuthenticationSettings.Section}:SecretsKey");
        foreach (var (id, key) in settings.RetiredSecretsKeys)
        {
            _keys.TryAdd(id, DecodeKey(key, $"{AuthenticationSettings.Section}:RetiredSecretsKeys:{id}"));
        }
    }

    /// <summary>A clear start-up error instead of a service that cannot protect secrets.</summary>
    public static string? Problem(AuthenticationSettings settings)
    {
        try
        {
            DecodeKey(settings.SecretsKey, $"{AuthenticationSettings.Section}:SecretsKey");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }

    public string Protect(byte[] secret, Guid userId) => Protect(secret, TotpPurpose(userId));

    public byte[] Unprotect(string protectedSecret, Guid userId) => Unprotect(protectedSecret, TotpPurpose(userId));

    /// <param name="purpose">Bound in as associated data: the ciphertext only decrypts for the same purpose.</param>
    public string Protect(byte[] secret, string purpose)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var output = new byte[NonceBytes + secret.Length + TagBytes];
        nonce.CopyTo(output, 0);
        using var aes = new AesGcm(_keys[_currentKeyId], TagBytes);
        aes.Encrypt(nonce, secret, output.AsSpan(NonceBytes, secret.Length), output.AsSpan(NonceBytes + secret.Length), Encoding.UTF8.GetBytes(purpose));
        return _currentKeyId + ":" + Convert.ToBase64String(output);
    }

    public byte[] Unprotect(string protectedSecret, string purpose)
    {
        var separator = protectedSecret.IndexOf(':');
        if (separator <= 0 || !_keys.TryGetValue(protectedSecret[..separator], out var key))
        {
            throw new CryptographicException("The secret was encrypted with a key this service does not have.");
        }

        var data = Convert.FromBase64String(protectedSecret[(separator + 1)..]);
        var secret = new byte[data.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(data.AsSpan(0, NonceBytes), data.AsSpan(NonceBytes, secret.Length), data.AsSpan(NonceBytes + secret.Length), secret, Encoding.UTF8.GetBytes(purpose));
        return secret;
    }

    private static string TotpPurpose(Guid userId) => "gatehouse-totp:" + userId.ToString("N");

    private static byte[] DecodeKey(string? base64, string setting)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                $"{setting} is not set. Generate one with 'openssl rand -base64 32' and pass it in the environment (Gatehouse__Authentication__SecretsKey).");
        }

        var key = new byte[64];
        if (!Convert.TryFromBase64String(base64.Trim(), key, out var length) || length != 32)
        {
            throw new InvalidOperationException($"{setting} must be base64 of exactly 32 random bytes (openssl rand -base64 32).");
        }

        return key[..32];
    }
}
