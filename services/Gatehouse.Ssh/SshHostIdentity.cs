using Gatehouse.Ssh.HostKeys;
using Gatehouse.Ssh.Transport;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh;

/// <summary>
/// The host key a connection served over a stream (<see cref="SshServer.ServeAsync"/>) proves itself with: an ed25519
/// key, optionally with an OpenSSH host certificate for it, which is then offered first
/// ("ssh-ed25519-cert-v01@openssh.com") so a client trusting the certificate authority needs no per-host entry.
/// </summary>
public sealed class SshHostIdentity : IDisposable
{
    private readonly HostKey _key;
    private readonly byte[]? _certificate;

    private SshHostIdentity(HostKey key, byte[]? certificate)
    {
        _key = key;
        _certificate = certificate;
    }

    /// <summary>The plain public key, "ssh-ed25519 base64", as a known_hosts line or a certificate request needs it.</summary>
    public string PublicKey => new OpenSshPublicKey(_key.KeyType, _key.PublicKeyBlob).Line;

    public string Fingerprint => _key.Fingerprint;

    /// <summary>Whether the identity is shown as a certificate.</summary>
    public bool Certified => _certificate is not null;

    /// <summary>The ed25519 key whose 32-byte private seed is <paramref name="seed"/> (RFC 8032), e.g. derived per target from one secret.</summary>
    public static SshHostIdentity FromEd25519Seed(ReadOnlySpan<byte> seed) =>
        new(new Ed25519HostKey(new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(seed)), null);

    /// <summary>
    /// The same key, shown with <paramref name="certificate"/> (the certificate's wire blob). The certificate must be for
    /// this key, or the client could not verify the exchange signature: that is checked here.
    /// </summary>
    public SshHostIdentity WithCertificate(ReadOnlySpan<byte> certificate)
    {
        var type = CertifiedHostKey.CertificateTypeOf(_key.KeyType);
        var reader = new SshReader(certificate);
        if (reader.ReadString() != type)
        {
            throw new ArgumentException($"not a {type} certificate", nameof(certificate));
        }

        reader.ReadBinary();
        var certifiedKey = reader.ReadBinary();
        using var writer = new SshWriter();
        writer.WriteString(_key.KeyType);
        writer.WriteBinary(certifiedKey);
        if (!writer.WrittenSpan.SequenceEqual(_key.PublicKeyBlob))
        {
            throw new ArgumentException("the certificate is for another key", nameof(certificate));
        }

        return new SshHostIdentity(_key, certificate.ToArray());
    }

    /// <summary>The keys offered in key exchange: the certificate first when there is one, then the plain key.</summary>
    internal HostKeyStore ToStore() =>
        HostKeyStore.Of(_certificate is { } certificate
            ? [new CertifiedHostKey(_key, CertifiedHostKey.CertificateTypeOf(_key.KeyType), certificate), _key]
            : [_key]);

    public void Dispose() => _key.Dispose();
}
