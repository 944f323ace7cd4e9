using System.Security.Cryptography;
using Gatehouse.Ssh.HostKeys;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Certificates;

/// <summary>
/// A CA's private key, which signs OpenSSH certificates. The private form leaves only through <see cref="ExportPkcs8"/>,
/// for whoever seals it at rest.
/// </summary>
public sealed class SshCertificateAuthority : IDisposable
{
    /// <summary>The CA key types: those the gateway's own host keys use.</summary>
    public static IReadOnlyList<string> KeyTypes { get; } = [Ed25519HostKey.Algorithm, EcdsaHostKey.Algorithm, "ssh-rsa"];

    public const int MaxPrincipals = 256;

    private readonly HostKey _key;

    private SshCertificateAuthority(HostKey key)
    {
        _key = key;
        PublicKey = new OpenSshPublicKey(key.KeyType, key.PublicKeyBlob);
    }

    public OpenSshPublicKey PublicKey { get; }

    public string KeyType => _key.KeyType;

    public static SshCertificateAuthority Generate(string keyType) => new(keyType switch
    {
        Ed25519HostKey.Algorithm => Ed25519HostKey.Generate(),
        EcdsaHostKey.Algorithm => EcdsaHostKey.Generate(),
        "ssh-rsa" => RsaHostKey.Generate(),
        _ => throw new ArgumentException($"A CA key is one of {string.Join(", ", KeyTypes)}, not '{keyType}'", nameof(keyType)),
    });

    /// <summary>Reads a key written by <see cref="ExportPkcs8"/>; its type must be the one recorded with it.</summary>
    public static SshCertificateAuthority FromPkcs8(string keyType, byte[] der)
    {
        HostKey key;
        switch (keyType)
        {
            case Ed25519HostKey.Algorithm:
                key = Ed25519HostKey.FromPkcs8(der);
                break;
            case EcdsaHostKey.Algorithm:
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(der, out _);
                key = new EcdsaHostKey(ecdsa);
                break;
            }
            case "ssh-rsa":
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                key = new RsaHostKey(rsa);
                break;
            }
            default:
                throw new ArgumentException($"A CA key is one of {string.Join(", ", KeyTypes)}, not '{keyType}'", nameof(keyType));
        }

        if (key.KeyType != keyType)
        {
            key.Dispose();
            throw new CryptographicException($"The stored CA key is not a {keyType} key");
        }

        return new SshCertificateAuthority(key);
    }

    /// <summary>The PKCS#8 DER of the private key, to be sealed at rest; callers clear it after use.</summary>
    public byte[] ExportPkcs8()
    {
        var pem = _key.ExportPem();
        var found = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[found.Base64Data]);
    }

    /// <summary>Signs a certificate (RSA with rsa-sha2-512, never SHA-1). The request is checked, not trusted.</summary>
    public SshCertificate Sign(SshCertificateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SshCertificate.CertifiedKeyType(SshCertificate.CertificateTypeFor(request.PublicKey.Algorithm)) is null)
        {
            throw new ArgumentException($"Cannot certify a {request.PublicKey.Algorithm} key");
        }

        if (request.Type is not (SshCertificateType.User or SshCertificateType.Host))
        {
            throw new ArgumentException($"Unknown certificate type {request.Type}");
        }

        // An empty list would mean "any principal" to OpenSSH; Gatehouse always names who the certificate is for.
        if (request.Principals.Count is 0 or > MaxPrincipals || request.Principals.Any(p => p.Length == 0 || p.Contains(',')))
        {
            throw new ArgumentException($"A certificate names 1 to {MaxPrincipals} principals, none empty or with a comma");
        }

        if (request.ValidBefore <= request.ValidAfter)
        {
            throw new ArgumentException("The certificate's validity ends before it starts");
        }

        var signedPart = SshCertificate.Encode(SshCertificate.CertificateTypeFor(request.PublicKey.Algorithm), RandomNumberGenerator.GetBytes(32),
            request.PublicKey, request.Serial, request.Type, request.KeyId, request.Principals,
            SshCertificate.ToSeconds(request.ValidAfter), SshCertificate.ToSeconds(request.ValidBefore),
            request.CriticalOptions ?? new Dictionary<string, string>(), request.Extensions ?? new Dictionary<string, string>(),
            _key.PublicKeyBlob);
        var signature = _key.Sign(_key.SignatureAlgorithms[0], signedPart);
        return SshCertificate.FromSigned(signedPart, signature);
    }

    public void Dispose() => _key.Dispose();
}
