using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.Tests.PostQuantum;

/// <summary>
/// The AES-256 CTR_DRBG of the NIST post-quantum submissions' rng.c (no derivation function, no reseeding), which
/// produced their KAT files: each request is answered from the counter and then updates the key and counter.
/// </summary>
internal sealed class NistKatDrbg : IRandomGenerator
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _counter = new byte[16];

    public NistKatDrbg(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length != 48) throw new ArgumentException("48 bytes of entropy", nameof(entropy));
        Update(entropy);
    }

    public SecureRandom AsSecureRandom() => new(this);

    public void NextBytes(Span<byte> bytes)
    {
        Span<byte> block = stackalloc byte[16];
        using var aes = Aes.Create();
        aes.Key = _key;
        while (!bytes.IsEmpty)
        {
            Increment();
            aes.EncryptEcb(_counter, block, PaddingMode.None);
            var take = Math.Min(16, bytes.Length);
            block[..take].CopyTo(bytes);
            bytes = bytes[take..];
        }
        Update([]);
    }

    public void NextBytes(byte[] bytes) => NextBytes(bytes.AsSpan());

    public void NextBytes(byte[] bytes, int start, int len) => NextBytes(bytes.AsSpan(start, len));

    public void AddSeedMaterial(byte[] seed) => throw new NotSupportedException();

    public void AddSeedMaterial(ReadOnlySpan<byte> seed) => throw new NotSupportedException();

    public void AddSeedMaterial(long seed) => throw new NotSupportedException();

    private void Update(ReadOnlySpan<byte> provided)
    {
        var temp = new byte[48];
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            for (var i = 0; i < 3; i++)
            {
                Increment();
                aes.EncryptEcb(_counter, temp.AsSpan(16 * i, 16), PaddingMode.None);
            }
        }
        for (var i = 0; i < provided.Length; i++) temp[i] ^= provided[i];
        temp.AsSpan(0, 32).CopyTo(_key);
        temp.AsSpan(32, 16).CopyTo(_counter);
    }

    private void Increment()
    {
        for (var i = 15; i >= 0; i--)
        {
            if (++_counter[i] != 0) break;
        }
    }
}

/// <summary>Answers every request from a SHAKE-128 stream, as the accumulated ML-KEM tests draw d, z, m and ciphertexts.</summary>
internal sealed class ShakeStream
{
    private readonly Org.BouncyCastle.Crypto.Digests.ShakeDigest _shake = new(128);

    public byte[] Read(int count)
    {
        var bytes = new byte[count];
        _shake.Output(bytes, 0, count);
        return bytes;
    }
}

/// <summary>A "random" source that returns exactly the bytes it was given, for the encapsulation randomness m.</summary>
internal sealed class FixedBytes(byte[] bytes) : IRandomGenerator
{
    private int _position;

    public SecureRandom AsSecureRandom() => new(this);

    public void NextBytes(Span<byte> output)
    {
        bytes.AsSpan(_position, output.Length).CopyTo(output);
        _position += output.Length;
    }

    public void NextBytes(byte[] output) => NextBytes(output.AsSpan());

    public void NextBytes(byte[] output, int start, int len) => NextBytes(output.AsSpan(start, len));

    public void AddSeedMaterial(byte[] seed) => throw new NotSupportedException();

    public void AddSeedMaterial(ReadOnlySpan<byte> seed) => throw new NotSupportedException();

    public void AddSeedMaterial(long seed) => throw new NotSupportedException();
}
