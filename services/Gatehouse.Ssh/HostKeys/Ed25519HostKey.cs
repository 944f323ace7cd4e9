using Gatehouse.Ssh.Transport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.HostKeys;

internal sealed class Ed25519HostKey : HostKey
{
    public const string Algorithm = "ssh-ed25519";

    private readonly Ed25519PrivateKeyParameters _privateKey;

    public Ed25519HostKey(Ed25519PrivateKeyParameters privateKey)
    {
        _privateKey = privateKey;
        using var writer = new SshWriter();
        writer.WriteString(Algorithm);
        writer.WriteBinary(privateKey.GeneratePublicKey().GetEncoded());
        PublicKeyBlob = writer.ToArray();
    }

    public static Ed25519HostKey Generate() => new(new Ed25519PrivateKeyParameters(new SecureRandom()));

    public static Ed25519HostKey FromPkcs8(byte[] der) => new((Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(der));

    public override string KeyType => Algorithm;

    public override IReadOnlyList<string> SignatureAlgorithms { get; } = [Algorithm];

    public override byte[] PublicKeyBlob { get; }

    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> data)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        signer.BlockUpdate(data);
        return SignatureBlob(Algorithm, signer.GenerateSignature());
    }

    public override string ExportPem()
    {
        var der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(_privateKey).GetDerEncoded();
        return System.Security.Cryptography.PemEncoding.WriteString("PRIVATE KEY", der);
    }
}
