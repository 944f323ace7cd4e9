using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.KeyExchange;

/// <summary>The ephemeral Diffie-Hellman part of an ECDH key exchange (RFC 5656 §4, RFC 8731).</summary>
internal abstract class KeyAgreement
{
    public const string Curve25519 = "curve25519-sha256";
    public const string Curve25519LibSsh = "curve25519-sha256@libssh.org";
    public const string NistP256 = "ecdh-sha2-nistp256";

    public static readonly string[] Supported = [Curve25519, Curve25519LibSsh, NistP256];

    public static KeyAgreement Create(string name) => name switch
    {
        Curve25519 or Curve25519LibSsh => new Curve25519Agreement(),
        NistP256 => new NistP256Agreement(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Returns the server's ephemeral public key and the shared secret as an unsigned big-endian number.</summary>
    public abstract (byte[] ServerPublic, byte[] SharedSecret) Agree(ReadOnlySpan<byte> clientPublic);

    private sealed class Curve25519Agreement : KeyAgreement
    {
        private static readonly SecureRandom Random = new();

        public override (byte[], byte[]) Agree(ReadOnlySpan<byte> clientPublic)
        {
            if (clientPublic.Length != X25519.PointSize) throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "bad curve25519 public key");
            var privateKey = new byte[X25519.ScalarSize];
            var serverPublic = new byte[X25519.PointSize];
            var secret = new byte[X25519.PointSize];
            lock (Random) X25519.GeneratePrivateKey(Random, privateKey);
            X25519.GeneratePublicKey(privateKey, 0, serverPublic, 0);
            // CalculateAgreement rejects low-order points, whose result would be all zeroes.
            var ok = X25519.CalculateAgreement(privateKey, 0, clientPublic.ToArray(), 0, secret, 0);
            CryptographicOperations.ZeroMemory(privateKey);
            if (!ok) throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "invalid curve25519 shared secret");
            return (serverPublic, secret);
        }
    }

    private sealed class NistP256Agreement : KeyAgreement
    {
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
                return ([0x04, .. q.X!, .. q.Y!], secret);
            }
            catch (CryptographicException)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "invalid nistp256 public key");
            }
        }
    }
}
