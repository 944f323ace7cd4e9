using System.Security.Cryptography;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.HostKeys;

/// <summary>One of the server's own keys, which signs the exchange hash to prove the server's identity.</summary>
internal abstract class HostKey : IDisposable
{
    /// <summary>The key type as it appears in the public key blob, e.g. "ssh-rsa".</summary>
    public abstract string KeyType { get; }

    /// <summary>Host key algorithms offered in KEXINIT that this key can sign for.</summary>
    public abstract IReadOnlyList<string> SignatureAlgorithms { get; }

    public abstract byte[] PublicKeyBlob { get; }

    public string Fingerprint => OpenSshPublicKey.FingerprintOf(PublicKeyBlob);

    /// <summary>Returns an RFC 4253 §6.6 signature blob over <paramref name="data"/>.</summary>
    public abstract byte[] Sign(string algorithm, ReadOnlySpan<byte> data);

    /// <summary>PKCS#8 PEM of the private key, for persisting.</summary>
    public abstract string ExportPem();

    public virtual void Dispose()
    {
    }

    protected static byte[] SignatureBlob(string algorithm, ReadOnlySpan<byte> signature)
    {
        using var writer = new Transport.SshWriter();
        writer.WriteString(algorithm);
        writer.WriteBinary(signature);
        return writer.ToArray();
    }

    protected static HashAlgorithmName RsaHashFor(string algorithm) => algorithm switch
    {
        "rsa-sha2-512" => HashAlgorithmName.SHA512,
        "rsa-sha2-256" => HashAlgorithmName.SHA256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };
}
