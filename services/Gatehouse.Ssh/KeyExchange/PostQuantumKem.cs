using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pqc.Crypto.NtruPrime;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.KeyExchange;

/// <summary>
/// The encapsulating (server) side of a key encapsulation mechanism. BouncyCastle provides both: .NET's own MLKem
/// needs OpenSSL 3.5, which Debian 12 does not have, and .NET has no Streamlined NTRU Prime at all.
/// </summary>
internal abstract class PostQuantumKem
{
    public abstract string Name { get; }

    public abstract int PublicKeySize { get; }

    public abstract int CiphertextSize { get; }

    /// <summary>Encapsulates a fresh secret to the client's public key, whose length the caller has checked.</summary>
    public abstract (byte[] Ciphertext, byte[] Secret) Encapsulate(ReadOnlySpan<byte> publicKey, SecureRandom random);
}

/// <summary>ML-KEM-768 (FIPS 203).</summary>
internal sealed class MlKem768 : PostQuantumKem
{
    public override string Name => "ML-KEM-768";

    public override int PublicKeySize => 1184;

    public override int CiphertextSize => 1088;

    public override (byte[], byte[]) Encapsulate(ReadOnlySpan<byte> publicKey, SecureRandom random)
    {
        MLKemPublicKeyParameters key;
        try
        {
            // FromEncoding makes the FIPS 203 §7.2 modulus check: every coefficient must be below q.
            key = MLKemPublicKeyParameters.FromEncoding(MLKemParameters.ml_kem_768, publicKey.ToArray());
        }
        catch (ArgumentException)
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "invalid ML-KEM-768 public key");
        }

        var encapsulator = new MLKemEncapsulator(MLKemParameters.ml_kem_768);
        encapsulator.Init(new ParametersWithRandom(key, random));
        var ciphertext = new byte[CiphertextSize];
        var secret = new byte[encapsulator.SecretLength];
        encapsulator.Encapsulate(ciphertext, secret);
        return (ciphertext, secret);
    }
}

/// <summary>Streamlined NTRU Prime sntrup761, as OpenSSH has used it since 8.5 (2021).</summary>
internal sealed class Sntrup761 : PostQuantumKem
{
    public override string Name => "sntrup761";

    public override int PublicKeySize => 1158;

    public override int CiphertextSize => 1039;

    public override (byte[], byte[]) Encapsulate(ReadOnlySpan<byte> publicKey, SecureRandom random)
    {
        // Every byte string of this length decodes to some public key (the reference implementation does no more), so
        // there is nothing further to validate: a bad key only yields a secret the client cannot share.
        var key = new SNtruPrimePublicKeyParameters(SNtruPrimeParameters.sntrup761, publicKey.ToArray());
        using var encapsulated = new SNtruPrimeKemGenerator(random).GenerateEncapsulated(key);
        return (encapsulated.GetEncapsulation(), encapsulated.GetSecret());
    }
}
