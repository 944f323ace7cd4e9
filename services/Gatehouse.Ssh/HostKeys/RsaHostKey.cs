using System.Security.Cryptography;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.HostKeys;

/// <summary>An RSA host key; it only ever signs with SHA-2 (RFC 8332), never ssh-rsa/SHA-1.</summary>
internal sealed class RsaHostKey : HostKey
{
    public const int KeySizeBits = 3072;

    private readonly RSA _key;

    public RsaHostKey(RSA key)
    {
        if (key.KeySize < KeySizeBits) throw new CryptographicException($"RSA host keys must have at least {KeySizeBits} bits");
        _key = key;
        var parameters = key.ExportParameters(false);
        using var writer = new SshWriter();
        writer.WriteString("ssh-rsa");
        writer.WriteMpint(parameters.Exponent);
        writer.WriteMpint(parameters.Modulus);
        PublicKeyBlob = writer.ToArray();
    }

    public static RsaHostKey Generate() => new(RSA.Create(KeySizeBits));

    public override string KeyType => "ssh-rsa";

    public override IReadOnlyList<string> SignatureAlgorithms { get; } = ["rsa-sha2-512", "rsa-sha2-256"];

    public override byte[] PublicKeyBlob { get; }

    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> data) =>
        SignatureBlob(algorithm, _key.SignData(data.ToArray(), RsaHashFor(algorithm), RSASignaturePadding.Pkcs1));

    public override string ExportPem() => _key.ExportPkcs8PrivateKeyPem();

    public override void Dispose() => _key.Dispose();
}
