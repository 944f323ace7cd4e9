using System.Security.Cryptography;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.HostKeys;

internal sealed class EcdsaHostKey : HostKey
{
    public const string Algorithm = "ecdsa-sha2-nistp256";

    private readonly ECDsa _key;

    public EcdsaHostKey(ECDsa key)
    {
        _key = key;
        var parameters = key.ExportParameters(false);
        using var writer = new SshWriter();
        writer.WriteString(Algorithm);
        writer.WriteString("nistp256");
        writer.WriteBinary([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);
        PublicKeyBlob = writer.ToArray();
    }

    public static EcdsaHostKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public override string KeyType => Algorithm;

    public override IReadOnlyList<string> SignatureAlgorithms { get; } = [Algorithm];

    public override byte[] PublicKeyBlob { get; }

    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> data)
    {
        Span<byte> rs = stackalloc byte[64];
        _key.SignData(data, rs, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using var inner = new SshWriter();
        inner.WriteMpint(rs[..32]);
        inner.WriteMpint(rs[32..]);
        return SignatureBlob(Algorithm, inner.WrittenSpan);
    }

    public override string ExportPem() => _key.ExportPkcs8PrivateKeyPem();

    public override void Dispose() => _key.Dispose();
}
