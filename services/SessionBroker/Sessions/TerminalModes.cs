using System.Buffers.Binary;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>Decodes the encoded terminal modes of a pty-req (RFC 4254 §8) so they reach the target unchanged.</summary>
public static class TerminalModeDecoder
{
    public static Dictionary<Renci.SshNet.Common.TerminalModes, uint> Decode(ReadOnlySpan<byte> encoded)
    {
        var modes = new Dictionary<Renci.SshNet.Common.TerminalModes, uint>();
        // Opcodes 1-159 carry a uint32; 0 ends the list and 160 and above are undefined, so reading stops there.
        while (encoded.Length >= 5 && encoded[0] is > 0 and < 160)
        {
            modes[(Renci.SshNet.Common.TerminalModes)encoded[0]] = BinaryPrimitives.ReadUInt32BigEndian(encoded[1..]);
            encoded = encoded[5..];
        }

        return modes;
    }
}
