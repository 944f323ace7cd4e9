using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gatehouse.Ssh.Ciphers;

/// <summary>aes128-gcm@openssh.com / aes256-gcm@openssh.com (RFC 5647 with OpenSSH's naming).</summary>
internal sealed class AesGcmCipher : PacketCipher
{
    public const int IvSize = 12;

    private readonly AesGcm _aes;
    private readonly byte[] _nonce = new byte[IvSize];

    public AesGcmCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        _aes = new AesGcm(key, 16);
        iv[..IvSize].CopyTo(_nonce);
    }

    public override int BlockSize => 16;

    public override int TagSize => 16;

    public override uint ReadLength(ReadOnlySpan<byte> lengthField, uint sequence) =>
        BinaryPrimitives.ReadUInt32BigEndian(lengthField);

    public override void Open(Span<byte> packet, ReadOnlySpan<byte> tag, uint sequence)
    {
        try
        {
            _aes.Decrypt(_nonce, packet[4..], tag, packet[4..], packet[..4]);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw MacError();
        }
        IncrementInvocationCounter();
    }

    public override void Seal(Span<byte> packet, Span<byte> tag, uint sequence)
    {
        _aes.Encrypt(_nonce, packet[4..], packet[4..], tag, packet[..4]);
        IncrementInvocationCounter();
    }

    private void IncrementInvocationCounter()
    {
        var counter = _nonce.AsSpan(4, 8);
        BinaryPrimitives.WriteUInt64BigEndian(counter, BinaryPrimitives.ReadUInt64BigEndian(counter) + 1);
    }

    public override void Dispose() => _aes.Dispose();
}
