using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pqc.Crypto.NtruPrime;

namespace Gatehouse.Ssh.Tests.PostQuantum;

/// <summary>
/// Known answers for the two KEMs the hybrid key exchanges use. The SSH drafts (draft-ietf-sshm-mlkem-hybrid-kex,
/// draft-josefsson-ntruprime-ssh) give no test vectors, so these are the KEMs' own: for ML-KEM-768 the accumulated
/// FIPS 203 vectors of Go's crypto/mlkem tests (TestAccumulated, after C2SP/CCTV), for sntrup761 the hash of the
/// NIST-format KAT file of the reference implementation as Cloudflare CIRCL checks it (TestPQCgenStreamlinedKATKem).
/// The exchange itself is proven against the real OpenSSH and SSH.NET clients (Interop).
/// </summary>
public class KnownAnswers
{
    // Go's short run; its 10 000-vector run (8a518cc6...) passes too but takes half a minute here.
    [Theory]
    [InlineData(100, "1114b1b6699ed191734fa339376afa7e285c9e6acf6ff0177d346696ce564415")]
    public void ML_KEM_768_reproduces_the_accumulated_FIPS_203_vectors(int count, string expected)
    {
        var source = new ShakeStream();
        var accumulated = new ShakeDigest(128);
        void Write(byte[] bytes) => accumulated.BlockUpdate(bytes, 0, bytes.Length);

        for (var i = 0; i < count; i++)
        {
            var privateKey = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, source.Read(64));
            var publicKey = privateKey.GetPublicKey();
            Write(publicKey.GetEncoded());

            var encapsulator = new MLKemEncapsulator(MLKemParameters.ml_kem_768);
            encapsulator.Init(new ParametersWithRandom(publicKey, new FixedBytes(source.Read(32)).AsSecureRandom()));
            var ciphertext = new byte[encapsulator.EncapsulationLength];
            var secret = new byte[encapsulator.SecretLength];
            encapsulator.Encapsulate(ciphertext, secret);
            Write(ciphertext);
            Write(secret);

            var decapsulator = new MLKemDecapsulator(MLKemParameters.ml_kem_768);
            decapsulator.Init(privateKey);
            var decapsulated = new byte[decapsulator.SecretLength];
            decapsulator.Decapsulate(ciphertext, decapsulated);
            Assert.Equal(secret, decapsulated);

            // A random ciphertext is implicitly rejected: a pseudorandom secret, never an error.
            var rejected = new byte[decapsulator.SecretLength];
            decapsulator.Decapsulate(source.Read(ciphertext.Length), rejected);
            Write(rejected);
        }

        var digest = new byte[32];
        accumulated.OutputFinal(digest, 0, digest.Length);
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Sntrup761_reproduces_the_reference_implementations_KAT_file()
    {
        var seed = new byte[48];
        for (var i = 0; i < seed.Length; i++) seed[i] = (byte)i;
        var seeds = new NistKatDrbg(seed);
        var file = new StringBuilder("# kem/sntrup761\n\n");

        for (var i = 0; i < 100; i++)
        {
            seeds.NextBytes(seed);
            file.Append($"count = {i}\nseed = {Convert.ToHexString(seed)}\n");
            var random = new NistKatDrbg(seed).AsSecureRandom();

            var generator = new SNtruPrimeKeyPairGenerator();
            generator.Init(new SNtruPrimeKeyGenerationParameters(random, SNtruPrimeParameters.sntrup761));
            var pair = generator.GenerateKeyPair();
            var publicKey = (SNtruPrimePublicKeyParameters)pair.Public;
            var privateKey = (SNtruPrimePrivateKeyParameters)pair.Private;
            using var encapsulated = new SNtruPrimeKemGenerator(random).GenerateEncapsulated(publicKey);
            var secret = encapsulated.GetSecret();
            Assert.Equal(secret, new SNtruPrimeKemExtractor(privateKey).ExtractSecret(encapsulated.GetEncapsulation()));

            file.Append($"pk = {Convert.ToHexString(publicKey.GetEncoded())}\nsk = {Convert.ToHexString(privateKey.GetEncoded())}\n");
            file.Append($"ct = {Convert.ToHexString(encapsulated.GetEncapsulation())}\nss = {Convert.ToHexString(secret)}\n\n");
        }

        Assert.Equal(
            "1a687f42261c47fe4421b35c5d9faf035433fcb2101458680c66c8d54caafec5fb767ea7725d6681ab100912ef06c38d88862a5d2d86786af2989b7dad33813a",
            Convert.ToHexStringLower(SHA512.HashData(Encoding.ASCII.GetBytes(file.ToString()))));
    }
}
