using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Gatehouse.Ssh.Ciphers;

/// <summary>
/// aes128-ctr / aes256-ctr with hmac-sha2-*-etm@openssh.com: the MAC covers the sequence number,
/// the clear length and the ciphertext, and is checked before anything is decrypted.
/// </summary>
internal sealed class AesCtrEtmCipher : PacketCipher
{
    private readonly ICryptoTransform _ecb;
    private readonly Aes _aes;
    private readonly IncrementalHash _mac;
    private readonly int _macSize;
    private readonly byte[] _sequenceBytes = new byte[4];
    private readonly byte[] _expectedTag;
    private ulong _counterHigh;
    private ulong _counterLow;
    private byte[] _counterBlocks = new byte[32 * 1024 + 64];
    private byte[] _keyStream = new byte[32 * 1024 + 64];

    public AesCtrEtmCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, HashAlgorithmName macHash, ReadOnlySpan<byte> macKey)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        _counterHigh = BinaryPrimitives.ReadUInt64BigEndian(iv);
        _counterLow = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        _mac = IncrementalHash.CreateHMAC(macHash, macKey);
        _macSize = _mac.HashLengthInBytes;
        _expectedTag = new byte[_macSize];
    }

    public override int BlockSize => 16;

    public override int TagSize => _macSize;

    public override uint ReadLength(ReadOnlySpan<byte> lengthField, uint sequence) =>
        BinaryPrimitives.ReadUInt32BigEndian(lengthField);

    public override void Open(Span<byte> packet, ReadOnlySpan<byte> tag, uint sequence)
    {
        ComputeMac(packet, sequence, _expectedTag);
        if (!CryptographicOperations.FixedTimeEquals(_expectedTag, tag)) throw MacError();
        ApplyKeyStream(packet[4..]);
    }

    public override void Seal(Span<byte> packet, Span<byte> tag, uint sequence)
    {
        ApplyKeyStream(packet[4..]);
        ComputeMac(packet, sequence, tag);
    }

    private void ComputeMac(ReadOnlySpan<byte> packet, uint sequence, Span<byte> tag)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_sequenceBytes, sequence);
        _mac.AppendData(_sequenceBytes);
        _mac.AppendData(packet);
        _mac.GetHashAndReset(tag);
    }

    // Bodies are always a whole number of blocks, so no partial key-stream block is ever carried over.
    // The whole body's counter blocks are encrypted in one call: per-call overhead dominated in 4 KiB steps.
    private void ApplyKeyStream(Span<byte> data)
    {
        if (data.Length > _counterBlocks.Length)
        {
            _counterBlocks = new byte[data.Length];
            _keyStream = new byte[data.Length];
        }
        var counters = _counterBlocks.AsSpan(0, data.Length);
        for (var offset = 0; offset < counters.Length; offset += 16)
        {
            BinaryPrimitives.WriteUInt64BigEndian(counters[offset..], _counterHigh);
            BinaryPrimitives.WriteUInt64BigEndian(counters[(offset + 8)..], _counterLow);
            if (++_counterLow == 0) _counterHigh++;
        }
        _ecb.TransformBlock(_counterBlocks, 0, data.Length, _keyStream, 0);
        Xor(data, _keyStream.AsSpan(0, data.Length));
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keyStream)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= data.Length; i += 32)
            {
                (Vector256.Create<byte>(data[i..]) ^ Vector256.Create<byte>(keyStream[i..])).CopyTo(data[i..]);
            }
        }
        for (; i < data.Length; i++) data[i] ^= keyStream[i];
    }

    public override void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        _mac.Dispose();
    }
}
