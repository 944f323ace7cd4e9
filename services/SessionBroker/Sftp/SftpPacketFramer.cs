using System.Buffers.Binary;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Splits one direction of an SFTP stream into packets by their length: the packets a reader asks for are collected
/// whole, all others are counted past without being kept, so a large WRITE or DATA never costs memory and never
/// loses the framing. A length beyond what OpenSSH accepts either way is not SFTP: the stream is lost.
/// </summary>
internal sealed class SftpPacketFramer(Func<byte, bool> wanted)
{
    /// <summary>OpenSSH's SFTP_MAX_MSG_LENGTH: its sftp-server and sftp client both drop a connection sending more.</summary>
    public const uint MaxPacket = 256 * 1024;

    private readonly byte[] _header = new byte[5];
    private int _headerFilled;
    private byte[]? _packet;
    private int _packetFilled;
    private long _skip;

    public string? Lost { get; private set; }

    /// <summary>Calls <paramref name="packet"/> with the type and body of each wanted packet completed in these bytes.</summary>
    public void Read(ReadOnlySpan<byte> data, Action<byte, byte[]> packet)
    {
        while (!data.IsEmpty && Lost is null)
        {
            if (_skip > 0)
            {
                var skipped = (int)Math.Min(_skip, data.Length);
                _skip -= skipped;
                data = data[skipped..];
                continue;
            }

            if (_packet is not null)
            {
                var copied = Math.Min(_packet.Length - _packetFilled, data.Length);
                data[..copied].CopyTo(_packet.AsSpan(_packetFilled));
                _packetFilled += copied;
                data = data[copied..];
                if (_packetFilled == _packet.Length)
                {
                    var complete = _packet;
                    _packet = null;
                    packet(_header[4], complete);
                }

                continue;
            }

            var needed = Math.Min(_header.Length - _headerFilled, data.Length);
            data[..needed].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += needed;
            data = data[needed..];
            if (_headerFilled < _header.Length)
            {
                continue;
            }

            _headerFilled = 0;
            var length = BinaryPrimitives.ReadUInt32BigEndian(_header);
            if (length is 0 or > MaxPacket)
            {
                Lost = $"an sftp packet declared a length of {length} bytes (at most {MaxPacket} are allowed)";
                return;
            }

            var rest = (int)(length - 1);
            if (!wanted(_header[4]))
            {
                _skip = rest;
            }
            else if (rest == 0)
            {
                packet(_header[4], []);
            }
            else
            {
                (_packet, _packetFilled) = (new byte[rest], 0);
            }
        }
    }
}
