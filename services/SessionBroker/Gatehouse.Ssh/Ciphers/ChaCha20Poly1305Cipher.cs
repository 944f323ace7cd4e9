using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
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

    private readonly KeyParameter _bodyKey;
    private readonly KeyParameter _lengthKey;
    private readonly ChaChaEngine _body = new(20);
    private readonly ChaChaEngine _length = new(20);
    private readonly Poly1305 _poly = new();
    private readonly byte[] _nonce = new byte[8];
    private readonly byte[] _polyKeyBlock = new byte[64];
    private readonly byte[] _expectedTag = new byte[16];

    public ChaCha20Poly1305Cipher(ReadOnlySpan<byte> key)
    {
        _bodyKey = new KeyParameter(key[..32]);
        _lengthKey = new KeyParameter(key[32..64]);
    }

    public override int BlockSize => 8;

    public override int TagSize => 16;

    public override uint ReadLength(ReadOnlySpan<byte> lengthField, uint sequence)
    {
        Span<byte> plain = stackalloc byte[4];
        SetNonce(sequence);
        _length.Init(false, new ParametersWithIV(_lengthKey, _nonce));
        _length.ProcessBytes(lengthField[..4], plain);
        return BinaryPrimitives.ReadUInt32BigEndian(plain);
    }

    public override void Open(Span<byte> packet, ReadOnlySpan<byte> tag, uint sequence)
    {
        StartBody(sequence);
        _poly.BlockUpdate(packet);
        _poly.DoFinal(_expectedTag, 0);
        if (!CryptographicOperations.FixedTimeEquals(_expectedTag, tag)) throw MacError();
        _body.ProcessBytes(packet[4..], packet[4..]);
    }

    public override void Seal(Span<byte> packet, Span<byte> tag, uint sequence)
    {
        StartBody(sequence);
        _length.Init(true, new ParametersWithIV(_lengthKey, _nonce));
        _length.ProcessBytes(packet[..4], packet[..4]);
        _body.ProcessBytes(packet[4..], packet[4..]);
        _poly.BlockUpdate(packet);
        _poly.DoFinal(tag);
    }

    private void StartBody(uint sequence)
    {
        SetNonce(sequence);
        _body.Init(true, new ParametersWithIV(_bodyKey, _nonce));
        Array.Clear(_polyKeyBlock);
        // Consuming block 0 leaves the engine at block counter 1, where the body starts.
        _body.ProcessBytes(_polyKeyBlock, _polyKeyBlock);
        _poly.Init(new KeyParameter(_polyKeyBlock, 0, 32));
    }

    private void SetNonce(uint sequence) => BinaryPrimitives.WriteUInt64BigEndian(_nonce, sequence);
}
