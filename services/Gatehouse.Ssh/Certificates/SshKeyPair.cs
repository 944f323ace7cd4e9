using System.Security.Cryptography;
using Gatehouse.Ssh.HostKeys;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Certificates;

/// <summary>
/// A fresh key pair held only in memory, for a client that signs in with a certificate for it. The private key leaves
/// as PKCS#8 PEM for the SSH client library that signs with it, and nowhere else.
/// </summary>
public sealed class SshKeyPair : IDisposable
{
    private readonly HostKey _key;

    private SshKeyPair(HostKey key)
    {
        _key = key;
        PublicKey = new OpenSshPublicKey(key.KeyType, key.PublicKeyBlob);
    }

    public OpenSshPublicKey PublicKey { get; }

    /// <summary>
    /// ECDSA P-256: SSH.NET 2026.0.0 reads an Ed25519 PKCS#8 key as another key than the one written (its certificate
    /// check then refuses), while it reads P-256 PKCS#8 exactly; pinned by a test.
    /// </summary>
    public static SshKeyPair Generate() => new(EcdsaHostKey.Generate());

    /// <summary>The private key as PKCS#8 PEM bytes; the caller clears them once its client has read them.</summary>
    public byte[] PrivateKeyPem() => System.Text.Encoding.ASCII.GetBytes(_key.ExportPem());

    public void Dispose() => _key.Dispose();
}
