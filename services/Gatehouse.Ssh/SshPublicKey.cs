using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh;

/// <summary>A user's public key whose signature the server has verified.</summary>
public sealed class SshPublicKey
{
    internal SshPublicKey(string keyType, byte[] blob)
    {
        KeyType = keyType;
        Blob = blob;
        Fingerprint = OpenSshPublicKey.FingerprintOf(blob);
    }

    /// <summary>The key type, e.g. "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa".</summary>
    public string KeyType { get; }

    /// <summary>The SSH wire encoding of the public key (what authorized_keys holds in base64).</summary>
    public ReadOnlyMemory<byte> Blob { get; }

    /// <summary>"SHA256:" and the unpadded base64 of the SHA-256 of the blob, as ssh-keygen -l prints it.</summary>
    public string Fingerprint { get; }

    /// <summary>The authorized_keys form "type base64".</summary>
    public string ToOpenSshFormat() => new OpenSshPublicKey(KeyType, Blob.ToArray()).Line;

    public override string ToString() => $"{KeyType} {Fingerprint}";
}
