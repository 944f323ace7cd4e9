using System.Buffers.Binary;
using System.Text;

namespace Gatehouse.Ssh.Transport;

/// <summary>Reads RFC 4251 data types from a received payload; any overrun is a protocol error.</summary>
internal ref struct SshReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SshReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (Remaining < 1) throw SshProtocolException.Truncated();
        return _data[_position++];
    }

    public bool ReadBoolean() => ReadByte() != 0;

    public uint ReadUInt32()
    {
        if (Remaining < 4) throw SshProtocolException.Truncated();
        var value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        if (Remaining < 8) throw SshProtocolException.Truncated();
        var value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>How many bytes were read so far; a certificate's signed part ends at this offset.</summary>
    public readonly int Position => _position;

    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadUInt32();
        if (length > (uint)Remaining) throw SshProtocolException.Truncated();
        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public string ReadString()
    {
        try
        {
            return Utf8Strict.GetString(ReadBinary());
        }
        catch (DecoderFallbackException)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "invalid UTF-8 string");
        }
    }

    public string[] ReadNameList()
    {
        var raw = ReadBinary();
        if (raw.IsEmpty) return [];
        foreach (var b in raw)
        {
            if (b < 0x21 || b > 0x7e) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "invalid name-list");
        }
        return Encoding.ASCII.GetString(raw).Split(',');
    }

    /// <summary>Returns the magnitude of a non-negative mpint without its sign byte.</summary>
    public ReadOnlySpan<byte> ReadPositiveMpint()
    {
        var raw = ReadBinary();
        if (raw.Length > 0 && (raw[0] & 0x80) != 0) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "negative mpint");
        while (raw.Length > 0 && raw[0] == 0) raw = raw[1..];
        return raw;
    }

    public void ExpectEnd()
    {
        if (Remaining != 0) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "trailing bytes in message");
    }

    private static readonly UTF8Encoding Utf8Strict = new(false, true);
}
