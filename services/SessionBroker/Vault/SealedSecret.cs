namespace Gatehouse.SessionBroker.Vault;

/// <summary>A target credential encrypted with AES-256-GCM under the vault key <see cref="KeyId"/>.</summary>
public sealed record SealedSecret(string KeyId, byte[] Nonce, byte[] Ciphertext, byte[] Tag);
