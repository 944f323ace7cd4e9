using System.Buffers.Binary;
using Gatehouse.Ssh.Ciphers;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gatehouse.Ssh.Tests.Ciphers;

public class ChaCha20KeyStream
{
    [Fact]
    public void Should_match_bouncy_castles_reference_engine_for_any_length_and_starting_block()
    {
        var random = new Random(8439);
        for (var trial = 0; trial < 300; trial++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            var sequence = (uint)random.Next();
            var startBlock = random.Next(3);
            var data = new byte[random.Next(1, 3000)];
            random.NextBytes(data);

            var expected = new byte[startBlock * 64 + data.Length];
            data.CopyTo(expected, startBlock * 64);
            var nonce = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(nonce, sequence);
            var reference = new ChaChaEngine(20);
            reference.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            reference.ProcessBytes(expected, 0, expected.Length, expected, 0);

            var ours = new ChaCha20(key);
            ours.SetNonce(sequence);
            ours.Transform(data, (ulong)startBlock);

            Assert.Equal(expected[(startBlock * 64)..], data);
        }
    }

    [Fact]
    public void Should_produce_the_rfc_7539_test_vector_keystream()
    {
        // RFC 7539 §2.3.2: counter 1, nonce 000000090000004a00000000. In the original layout state word 13
        // (nonce bytes 00000009) is the high counter word and words 14-15 are the 64-bit nonce.
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var chacha = new ChaCha20(key);
        chacha.SetNonce(0x0000004a00000000);
        var block = new byte[64];

        chacha.Transform(block, 0x0900000000000001);

        Assert.Equal("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e", Convert.ToHexStringLower(block[..32]));
    }
}
