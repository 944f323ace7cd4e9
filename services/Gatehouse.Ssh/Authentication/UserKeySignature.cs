using System.Security.Cryptography;
using Gatehouse.Ssh.Transport;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Gatehouse.Ssh.Authentication;

/// <summary>Checks publickey authentication signatures (RFC 4252 §7, RFC 5656, RFC 8332, RFC 8709).</summary>
internal static class UserKeySignature
{
    public const int MinimumRsaBits = 2048;

    public static readonly string[] Algorithms =
        ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"];

    /// <summary>The key type a signature algorithm applies to, or null when the algorithm is not accepted (e.g. ssh-rsa/SHA-1).</summary>
    public static string? KeyTypeFor(string algorithm) => algorithm switch
    {
        "ssh-ed25519" => "ssh-ed25519",
        "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521" => algorithm,
        "rsa-sha2-256" or "rsa-sha2-512" => "ssh-rsa",
        _ => null,
    };

    /// <summary>True when the blob is a well-formed key of the type the algorithm needs.</summary>
    public static bool IsAcceptableKey(string algorithm, ReadOnlySpan<byte> blob)
    {
        try
        {
            var reader = new SshReader(blob);
            var keyType = reader.ReadString();
            if (keyType != KeyTypeFor(algorithm)) return false;
            switch (keyType)
            {
                case "ssh-ed25519":
                    return reader.ReadBinary().Length == 32 && reader.Remaining == 0;
                case "ssh-rsa":
                    reader.ReadPositiveMpint();
                    return reader.ReadPositiveMpint().Length * 8 >= MinimumRsaBits && reader.Remaining == 0;
                default:
                    using (var ecdsa = ImportEcdsa(ref reader, keyType)) return ecdsa is not null;
            }
        }
        catch (Exception e) when (e is SshProtocolException or CryptographicException)
        {
            return false;
        }
    }

    public static bool Verify(string algorithm, ReadOnlySpan<byte> keyBlob, ReadOnlySpan<byte> signatureBlob, ReadOnlySpan<byte> signedData)
    {
        try
        {
            if (!IsAcceptableKey(algorithm, keyBlob)) return false;
            var signatureReader = new SshReader(signatureBlob);
            if (signatureReader.ReadString() != algorithm) return false;
            var signature = signatureReader.ReadBinary();
            signatureReader.ExpectEnd();

            var key = new SshReader(keyBlob);
            var keyType = key.ReadString();
            switch (keyType)
            {
                case "ssh-ed25519":
                {
                    if (signature.Length != 64) return false;
                    var verifier = new Ed25519Signer();
                    verifier.Init(false, new Ed25519PublicKeyParameters(key.ReadBinary()));
                    verifier.BlockUpdate(signedData);
                    return verifier.VerifySignature(signature.ToArray());
                }
                case "ssh-rsa":
                {
                    var exponent = key.ReadPositiveMpint();
                    var modulus = key.ReadPositiveMpint();
                    using var rsa = RSA.Create(new RSAParameters { Exponent = exponent.ToArray(), Modulus = modulus.ToArray() });
                    var hash = algorithm == "rsa-sha2-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
                    return rsa.VerifyData(signedData, signature, hash, RSASignaturePadding.Pkcs1);
                }
                default:
                {
                    using var ecdsa = ImportEcdsa(ref key, keyType);
                    if (ecdsa is null) return false;
                    var fieldSize = (ecdsa.KeySize + 7) / 8;
                    var rs = new SshReader(signature);
                    var r = rs.ReadPositiveMpint();
                    var s = rs.ReadPositiveMpint();
                    rs.ExpectEnd();
                    if (r.Length > fieldSize || s.Length > fieldSize) return false;
                    var ieee = new byte[fieldSize * 2];
                    r.CopyTo(ieee.AsSpan(fieldSize - r.Length));
                    s.CopyTo(ieee.AsSpan(2 * fieldSize - s.Length));
                    var hash = keyType switch
                    {
                        "ecdsa-sha2-nistp256" => HashAlgorithmName.SHA256,
                        "ecdsa-sha2-nistp384" => HashAlgorithmName.SHA384,
                        _ => HashAlgorithmName.SHA512,
                    };
                    return ecdsa.VerifyData(signedData, ieee, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            }
        }
        catch (Exception e) when (e is SshProtocolException or CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static ECDsa? ImportEcdsa(ref SshReader reader, string keyType)
    {
        var (curveName, curve, fieldSize) = keyType switch
        {
            "ecdsa-sha2-nistp256" => ("nistp256", ECCurve.NamedCurves.nistP256, 32),
            "ecdsa-sha2-nistp384" => ("nistp384", ECCurve.NamedCurves.nistP384, 48),
            "ecdsa-sha2-nistp521" => ("nistp521", ECCurve.NamedCurves.nistP521, 66),
            _ => (null, default, 0),
        };
        if (curveName is null || reader.ReadString() != curveName) return null;
        var point = reader.ReadBinary();
        if (reader.Remaining != 0 || point.Length != 1 + 2 * fieldSize || point[0] != 0x04) return null;
        // ImportParameters validates that the point lies on the curve.
        return ECDsa.Create(new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = point.Slice(1, fieldSize).ToArray(), Y = point.Slice(1 + fieldSize, fieldSize).ToArray() },
        });
    }
}
