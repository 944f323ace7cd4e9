using System.Security.Cryptography;
using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Transport;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Pqc.Crypto.NtruPrime;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>
/// The client's half of a key exchange method, written from the drafts independently of the server's code: its init
/// value, and K from the server's reply, encoded as the method says (mpint for curve25519, string for the hybrids).
/// </summary>
internal sealed class KeyExchangeClient
{
    private readonly string _method;
    private readonly byte[] _x25519Private = new byte[X25519.ScalarSize];
    private readonly MLKemPrivateKeyParameters? _mlKem;
    private readonly SNtruPrimePrivateKeyParameters? _sntrup;

    public KeyExchangeClient(string method, SecureRandom? random = null)
    {
        random ??= new SecureRandom();
        _method = method;
        byte[] kemPublic = [];
        if (method == KeyAgreement.MlKem768X25519)
        {
            var generator = new MLKemKeyPairGenerator();
            generator.Init(new MLKemKeyGenerationParameters(random, MLKemParameters.ml_kem_768));
            var pair = generator.GenerateKeyPair();
            _mlKem = (MLKemPrivateKeyParameters)pair.Private;
            kemPublic = ((MLKemPublicKeyParameters)pair.Public).GetEncoded();
        }
        else if (method is KeyAgreement.Sntrup761X25519 or KeyAgreement.Sntrup761X25519OpenSsh)
        {
            var generator = new SNtruPrimeKeyPairGenerator();
            generator.Init(new SNtruPrimeKeyGenerationParameters(random, SNtruPrimeParameters.sntrup761));
            var pair = generator.GenerateKeyPair();
            _sntrup = (SNtruPrimePrivateKeyParameters)pair.Private;
            kemPublic = ((SNtruPrimePublicKeyParameters)pair.Public).GetEncoded();
        }
        else if (method is not (KeyAgreement.Curve25519 or KeyAgreement.Curve25519LibSsh))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, null);
        }

        X25519.GeneratePrivateKey(random, _x25519Private);
        var x25519Public = new byte[X25519.PointSize];
        X25519.GeneratePublicKey(_x25519Private, 0, x25519Public, 0);
        Init = [.. kemPublic, .. x25519Public];
    }

    /// <summary>Q_C for curve25519; C_INIT = KEM public key || X25519 public key for the hybrids.</summary>
    public byte[] Init { get; }

    public HashAlgorithmName Hash => _sntrup is null ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;

    /// <summary>K from the server's Q_S or S_REPLY, in its wire encoding.</summary>
    public byte[] EncodedSecret(byte[] serverReply)
    {
        var kemSecret = Array.Empty<byte>();
        var x25519Offset = 0;
        if (_mlKem is not null)
        {
            var decapsulator = new MLKemDecapsulator(MLKemParameters.ml_kem_768);
            decapsulator.Init(_mlKem);
            kemSecret = new byte[decapsulator.SecretLength];
            x25519Offset = decapsulator.EncapsulationLength;
            decapsulator.Decapsulate(serverReply.AsSpan(0, x25519Offset), kemSecret);
        }
        else if (_sntrup is not null)
        {
            var extractor = new SNtruPrimeKemExtractor(_sntrup);
            x25519Offset = extractor.EncapsulationLength;
            kemSecret = extractor.ExtractSecret(serverReply[..x25519Offset]);
        }

        var x25519Secret = new byte[X25519.PointSize];
        if (!X25519.CalculateAgreement(_x25519Private, 0, serverReply, x25519Offset, x25519Secret, 0))
        {
            throw new CryptographicException("low-order X25519 point from the server");
        }

        using var encoded = new SshWriter();
        if (_mlKem is null && _sntrup is null)
        {
            encoded.WriteMpint(x25519Secret);
        }
        else
        {
            encoded.WriteBinary(CryptographicOperations.HashData(Hash, [.. kemSecret, .. x25519Secret]));
        }

        return encoded.ToArray();
    }
}
