using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Gatehouse.Ssh.Ciphers;

/// <summary>
/// aes128-ctr / aes256-ctr with hmac-sha2-*-etm@openssh.com: the MAC covers the sequence number,
/// the clear length and the ciphertext, and is checked before anything is decrypted.
/// </summary>
internal sealed class AesCtrEtmCipher : PacketCipher
{
    private const int ChunkSize = 4096;

    private readonly ICryptoTransform _ecb;
    private readonly Aes _aes;
    private readonly IncrementalHash _mac;
    private readonly int _macSize;
    private readonly byte[] _counter = new byte[16];
    private readonly byte[] _counterBlocks = new byte[ChunkSize];
    private readonly byte[] _keyStream = new byte[ChunkSize];
    private readonly byte[] _sequenceBytes = new byte[4];
    private readonly byte[] _expectedTag;

    public AesCtrEtmCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, HashAlgorithmName macHash, ReadOnlySpan<byte> macKey)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        iv[..16].CopyTo(_counter);
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
    private void ApplyKeyStream(Span<byte> data)
    {
        while (!data.IsEmpty)
        {
            var count = Math.Min(data.Length, ChunkSize);
            for (var offset = 0; offset < count; offset += 16)
            {
                _counter.CopyTo(_counterBlocks, offset);
                IncrementCounter();
            }
            _ecb.TransformBlock(_counterBlocks, 0, count, _keyStream, 0);
            Xor(data[..count], _keyStream.AsSpan(0, count));
            data = data[count..];
        }
    }

    private void IncrementCounter()
    {
        for (var i = 15; i >= 0; i--)
        {
            if (++_counter[i] != 0) break;
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keyStream)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        var keyWords = MemoryMarshal.Cast<byte, ulong>(keyStream);
        for (var i = 0; i < words.Length; i++) words[i] ^= keyWords[i];
        for (var i = words.Length * 8; i < data.Length; i++) data[i] ^= keyStream[i];
    }

    public override void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        _mac.Dispose();
    }
}
