using System.Buffers.Binary;
using System.Text;
using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Reads the client-to-server half of an SFTP v3 stream (draft-ietf-secsh-filexfer-02) as it passes the gateway and
/// reports the file operations in it. Only the requests that name paths are buffered; file data (WRITE) is skipped
/// without copying. A malformed stream stops the reading for good, never the session.
/// </summary>
public sealed class SftpRequestReader
{
    private const byte Open = 3, SetStat = 9, Remove = 13, MakeDirectory = 14, RemoveDirectory = 15, Rename = 18, Extended = 200;
    private const uint ReadFlag = 0x1, WriteFlag = 0x2, AppendFlag = 0x4, CreateFlag = 0x8, TruncateFlag = 0x10;
    private const int MaxBufferedPacket = 64 * 1024;

    private readonly byte[] _header = new byte[5];
    private int _headerFilled;
    private byte[]? _packet;
    private int _packetFilled;
    private long _skip;
    private bool _broken;

    /// <summary>Reads the next bytes the client sent; returns the operations whose requests completed in them.</summary>
    public IReadOnlyList<SftpRequest> Read(ReadOnlySpan<byte> data)
    {
        List<SftpRequest>? found = null;
        while (!data.IsEmpty && !_broken)
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
                    if (Parse(_header[4], _packet) is { } request)
                    {
                        (found ??= []).Add(request);
                    }

                    _packet = null;
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
            if (length == 0)
            {
                _broken = true;
                break;
            }

            var rest = length - 1;
            if (_header[4] is Open or SetStat or Remove or MakeDirectory or RemoveDirectory or Rename or Extended)
            {
                if (rest > MaxBufferedPacket)
                {
                    _broken = true;
                    break;
                }

                _packet = new byte[rest];
                _packetFilled = 0;
                if (rest == 0)
                {
                    _packet = null;
                }
            }
            else
            {
                _skip = rest;
            }
        }

        return found ?? (IReadOnlyList<SftpRequest>)[];
    }

    private static SftpRequest? Parse(byte type, byte[] body)
    {
        var reader = new Reader(body);
        if (!reader.TryUInt32(out _))
        {
            return null;
        }

        switch (type)
        {
            case Open when reader.TryString(out var path) && reader.TryUInt32(out var flags):
                var writes = (flags & (WriteFlag | AppendFlag | CreateFlag | TruncateFlag)) != 0;
                return new SftpRequest(writes || (flags & ReadFlag) == 0 ? SftpOperation.OpenForWrite : SftpOperation.OpenForRead, path);
            case SetStat when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.SetAttributes, path);
            case Remove when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.Remove, path);
            case MakeDirectory when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.MakeDirectory, path);
            case RemoveDirectory when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.RemoveDirectory, path);
            case Rename when reader.TryString(out var from) && reader.TryString(out var to):
                return new SftpRequest(SftpOperation.Rename, from, to);
            case Extended when reader.TryString(out var name) && name == "posix-rename@openssh.com"
                                                               && reader.TryString(out var from) && reader.TryString(out var to):
                return new SftpRequest(SftpOperation.Rename, from, to);
            default:
                return null;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public bool TryUInt32(out uint value)
        {
            value = 0;
            if (_data.Length < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt32BigEndian(_data);
            _data = _data[4..];
            return true;
        }

        public bool TryString(out string value)
        {
            value = "";
            if (!TryUInt32(out var length) || length > (uint)_data.Length)
            {
                return false;
            }

            value = Encoding.UTF8.GetString(_data[..(int)length]);
            _data = _data[(int)length..];
            return true;
        }
    }
}
