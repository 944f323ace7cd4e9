using System.Security.Cryptography;
using Gatehouse.Ssh.Transport;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.KeyExchange;

/// <summary>
/// The server's part of one key exchange method: ECDH (RFC 5656 §4, RFC 8731) or a post-quantum KEM combined with
/// X25519 (draft-ietf-sshm-mlkem-hybrid-kex, draft-josefsson-ntruprime-ssh; OpenSSH's PROTOCOL). All of them use
/// messages 30 and 31 and differ only in what the values mean, how K is encoded and which hash is used.
/// </summary>
internal abstract class KeyAgreement
{
    public const string MlKem768X25519 = "mlkem768x25519-sha256";
    public const string Sntrup761X25519 = "sntrup761x25519-sha512";
    public const string Sntrup761X25519OpenSsh = "sntrup761x25519-sha512@openssh.com";
    public const string Curve25519 = "curve25519-sha256";
    public const string Curve25519LibSsh = "curve25519-sha256@libssh.org";
    public const string NistP256 = "ecdh-sha2-nistp256";

    public static readonly string[] Supported = [MlKem768X25519, Sntrup761X25519, Sntrup761X25519OpenSsh, Curve25519, Curve25519LibSsh, NistP256];

    private static readonly SecureRandom SharedRandom = new();

    /// <summary>True for the hybrid methods whose secret stays safe from a recording decrypted later by a quantum computer.</summary>
    public static bool IsPostQuantum(string name) => name is MlKem768X25519 or Sntrup761X25519 or Sntrup761X25519OpenSsh;

    /// <param name="random">Only tests pass their own, to reproduce an exchange.</param>
    public static KeyAgreement Create(string name, SecureRandom? random = null) => name switch
    {
        MlKem768X25519 => new HybridAgreement(new MlKem768(), HashAlgorithmName.SHA256, random ?? SharedRandom),
        Sntrup761X25519 or Sntrup761X25519OpenSsh => new HybridAgreement(new Sntrup761(), HashAlgorithmName.SHA512, random ?? SharedRandom),
        Curve25519 or Curve25519LibSsh => new Curve25519Agreement(random ?? SharedRandom),
        NistP256 => new NistP256Agreement(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The hash of the exchange hash H and of the key derivation.</summary>
    public abstract HashAlgorithmName Hash { get; }

    /// <summary>
    /// Answers the client's KEX_ECDH_INIT / KEX_HYBRID_INIT value. Returns the server's reply value (Q_S or S_REPLY) and
    /// the shared secret K already in its wire encoding, exactly as it enters H and the key derivation: an mpint for
    /// ECDH, a string for the hybrids. Every malformed client value is a key exchange failure.
    /// </summary>
    public abstract (byte[] ServerReply, byte[] EncodedSecret) Agree(ReadOnlySpan<byte> clientInit);

    /// <summary>X25519 with a fresh key; the raw 32-byte secret. Low-order points, whose secret is all zeroes, are refused.</summary>
    private static byte[] X25519Agree(SecureRandom random, ReadOnlySpan<byte> clientPublic, Span<byte> serverPublic)
    {
        if (clientPublic.Length != X25519.PointSize) throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "bad curve25519 public key");
        var privateKey = new byte[X25519.ScalarSize];
        var secret = new byte[X25519.PointSize];
        lock (random) X25519.GeneratePrivateKey(random, privateKey);
        X25519.GeneratePublicKey(privateKey, serverPublic);
        var ok = X25519.CalculateAgreement(privateKey, 0, clientPublic.ToArray(), 0, secret, 0);
        CryptographicOperations.ZeroMemory(privateKey);
        if (!ok) throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "invalid curve25519 shared secret");
        return secret;
    }

    private static byte[] EncodeMpint(byte[] magnitude)
    {
        using var writer = new SshWriter(magnitude.Length + 5);
        writer.WriteMpint(magnitude);
        CryptographicOperations.ZeroMemory(magnitude);
        return writer.ToArray();
    }

    private sealed class Curve25519Agreement(SecureRandom random) : KeyAgreement
    {
        public override HashAlgorithmName Hash => HashAlgorithmName.SHA256;

        public override (byte[], byte[]) Agree(ReadOnlySpan<byte> clientPublic)
        {
            var serverPublic = new byte[X25519.PointSize];
            var secret = X25519Agree(random, clientPublic, serverPublic);
            return (serverPublic, EncodeMpint(secret));
        }
    }

    private sealed class NistP256Agreement : KeyAgreement
    {
        public override HashAlgorithmName Hash => HashAlgorithmName.SHA256;

        public override (byte[], byte[]) Agree(ReadOnlySpan<byte> clientPublic)
        {
            if (clientPublic.Length != 65 || clientPublic[0] != 0x04) throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "bad nistp256 public key");
            using var server = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            try
            {
                using var client = ECDiffieHellman.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = clientPublic.Slice(1, 32).ToArray(), Y = clientPublic.Slice(33, 32).ToArray() },
                });
                var secret = server.DeriveRawSecretAgreement(client.PublicKey);
                var q = server.ExportParameters(false).Q;
                return ([0x04, .. q.X!, .. q.Y!], EncodeMpint(secret));
            }
            catch (CryptographicException)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "invalid nistp256 public key");
            }
        }
    }

    /// <summary>
    /// C_INIT = KEM public key || X25519 public key; S_REPLY = KEM ciphertext || X25519 public key;
    /// K = string(HASH(KEM secret || X25519 secret)). Both halves must hold for K to be known, so a break of either alone
    /// reveals nothing.
    /// </summary>
    private sealed class HybridAgreement(PostQuantumKem kem, HashAlgorithmName hash, SecureRandom random) : KeyAgreement
    {
        public override HashAlgorithmName Hash => hash;

        public override (byte[], byte[]) Agree(ReadOnlySpan<byte> clientInit)
        {
            if (clientInit.Length != kem.PublicKeySize + X25519.PointSize)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed,
                    $"bad {kem.Name} client value: {clientInit.Length} bytes, expected {kem.PublicKeySize + X25519.PointSize}");
            }

            var (ciphertext, kemSecret) = kem.Encapsulate(clientInit[..kem.PublicKeySize], random);
            var reply = new byte[ciphertext.Length + X25519.PointSize];
            ciphertext.CopyTo(reply, 0);
            var classicalSecret = X25519Agree(random, clientInit[kem.PublicKeySize..], reply.AsSpan(ciphertext.Length));

            using var combined = IncrementalHash.CreateHash(hash);
            combined.AppendData(kemSecret);
            combined.AppendData(classicalSecret);
            var secret = combined.GetHashAndReset();
            CryptographicOperations.ZeroMemory(kemSecret);
            CryptographicOperations.ZeroMemory(classicalSecret);

            using var encoded = new SshWriter(secret.Length + 4);
            encoded.WriteBinary(secret);
            CryptographicOperations.ZeroMemory(secret);
            return (reply, encoded.ToArray());
        }
    }
}
