using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.SessionBroker.Vault;

/// <summary>
/// Seals and opens target credentials. Keys are named so they can rotate: new secrets use the active key, old ones
/// open with the key they name until they are re-sealed. The slot (target and login) is bound in as associated data,
/// so a sealed secret copied to another slot does not open.
/// </summary>
public sealed class VaultCipher
{
    private const int KeySize = 32;
    private readonly IReadOnlyDictionary<string, byte[]> _keys;

    public VaultCipher(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("The vault has no keys: configure Gatehouse:Vault:Keys");
        }

        foreach (var (id, key) in keys)
        {
            if (key.Length != KeySize)
            {
                throw new ArgumentException($"Vault key '{id}' must be {KeySize} bytes (base64 of 32 random bytes)");
            }
        }

        if (!keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"The active vault key '{activeKeyId}' is not among the configured keys");
        }

        _keys = keys;
        ActiveKeyId = activeKeyId;
    }

    public string ActiveKeyId { get; }

    /// <summary>Every configured key id: the active one and those kept only to open what is not yet re-sealed.</summary>
    public IReadOnlyCollection<string> KeyIds => (IReadOnlyCollection<string>)_keys.Keys;

    public bool CanOpen(SealedSecret sealedSecret) => _keys.ContainsKey(sealedSecret.KeyId);

    public SealedSecret Seal(ReadOnlySpan<byte> secret, string target, string login)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[secret.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(_keys[ActiveKeyId], tag.Length);
        aes.Encrypt(nonce, secret, ciphertext, tag, Slot(target, login));
        return new SealedSecret(ActiveKeyId, nonce, ciphertext, tag);
    }

    /// <summary>Opens a sealed secret; fails with <see cref="CryptographicException"/> if it was altered, moved or its key is gone.</summary>
    public byte[] Open(SealedSecret sealedSecret, string target, string login)
    {
        if (!_keys.TryGetValue(sealedSecret.KeyId, out var key))
        {
            throw new CryptographicException($"Vault key '{sealedSecret.KeyId}' is not configured; the secret cannot be opened");
        }

        var plaintext = new byte[sealedSecret.Ciphertext.Length];
        using var aes = new AesGcm(key, sealedSecret.Tag.Length);
        aes.Decrypt(sealedSecret.Nonce, sealedSecret.Ciphertext, sealedSecret.Tag, plaintext, Slot(target, login));
        return plaintext;
    }

    private static byte[] Slot(string target, string login) => Encoding.UTF8.GetBytes($"gatehouse-vault\0{target}\0{login}");
}
