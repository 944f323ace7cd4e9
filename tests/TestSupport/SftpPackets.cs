using System.Buffers.Binary;
using System.Text;

namespace Gatehouse.TestSupport;

/// <summary>Hand-made SFTP packets (draft-ietf-secsh-filexfer-02 framing) for tests that feed the gateway's readers.</summary>
public static class SftpPackets
{
    public static byte[] Request(byte type, uint id, params byte[][] fields) => Packet(type, [.. UInt32(id), .. Concat(fields)]);

    public static byte[] Packet(byte type, byte[] body) => [.. UInt32((uint)body.Length + 1), type, .. body];

    public static byte[] Str(string value) => [.. UInt32((uint)Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

    public static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
