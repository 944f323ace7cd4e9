using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gatehouse.Ssh.Ciphers;

/// <summary>
/// chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305): the second half of the key
/// encrypts the length, the first half the body; block 0 of the body key stream is the Poly1305 key.
/// </summary>
internal sealed class ChaCha20Poly1305Cipher : PacketCipher
{
    public const int KeySize = 64;

    private readonly ChaCha20 _body;
    private readonly ChaCha20 _length;
    private readonly Poly1305 _poly = new();
    private readonly byte[] _polyKey = new byte[32];
    private readonly byte[] _expectedTag = new byte[16];

    public ChaCha20Poly1305Cipher(ReadOnlySpan<byte> key)
    {
        _body = new ChaCha20(key[..32]);
        _length = new ChaCha20(key[32..64]);
    }

    public override int BlockSize => 8;

    public override int TagSize => 16;

    public override uint ReadLength(ReadOnlySpan<byte> lengthField, uint sequence)
    {
        Span<byte> plain = stackalloc byte[4];
        lengthField[..4].CopyTo(plain);
        _length.SetNonce(sequence);
        _length.Transform(plain, 0);
        return BinaryPrimitives.ReadUInt32BigEndian(plain);
    }

    public override void Open(Span<byte> packet, ReadOnlySpan<byte> tag, uint sequence)
    {
        StartBody(sequence);
        _poly.BlockUpdate(packet);
        _poly.DoFinal(_expectedTag, 0);
        if (!CryptographicOperations.FixedTimeEquals(_expectedTag, tag)) throw MacError();
        _body.Transform(packet[4..], 1);
    }

    public override void Seal(Span<byte> packet, Span<byte> tag, uint sequence)
    {
        StartBody(sequence);
        _length.SetNonce(sequence);
        _length.Transform(packet[..4], 0);
        _body.Transform(packet[4..], 1);
        _poly.BlockUpdate(packet);
        _poly.DoFinal(tag);
    }

    // Block 0 of the body key stream is the one-time Poly1305 key; the body starts at block 1.
    private void StartBody(uint sequence)
    {
        _body.SetNonce(sequence);
        Array.Clear(_polyKey);
        _body.Transform(_polyKey, 0);
        _poly.Init(new KeyParameter(_polyKey));
    }
}
