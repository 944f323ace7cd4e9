using System.Buffers.Binary;
using System.Text;
using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Reads an SFTP v3 stream (draft-ietf-secsh-filexfer-02, with OpenSSH's extensions) as it passes the gateway and
/// reports every request that changes a file and every open for reading. The user's requests name the paths; the
/// target's HANDLE replies tie a handle to the path it was opened with, so a change made through a handle (FSETSTAT,
/// copy-data) names the file too. A request the gateway does not know is reported as unrecognised, never skipped
/// silently.
/// </summary>
public sealed class SftpRequestReader : ITransferReader
{
    private const byte Open = 3, Close = 4, SetStat = 9, FSetStat = 10, OpenDirectory = 11, Remove = 13, MakeDirectory = 14,
        RemoveDirectory = 15, Rename = 18, Symlink = 20, Extended = 200;
    private const byte Status = 101, Handle = 102;
    private const uint ReadFlag = 0x1, WriteFlag = 0x2, AppendFlag = 0x4, CreateFlag = 0x8, TruncateFlag = 0x10;

    /// <summary>Requests that only read, which need no record beyond the opens they work on.</summary>
    private static readonly HashSet<byte> ReadOnlyRequests = [1, 5, 6, 7, 8, 12, 16, 17, 19];

    private static readonly HashSet<string> ReadOnlyExtensions =
    [
        "statvfs@openssh.com", "fstatvfs@openssh.com", "limits@openssh.com", "expand-path@openssh.com", "fsync@openssh.com",
        "home-directory", "users-groups-by-id@openssh.com",
    ];

    private readonly SftpPacketFramer _fromClient = new(type => !ReadOnlyRequests.Contains(type));
    private readonly SftpPacketFramer _fromTarget = new(type => type is Status or Handle);
    private readonly Lock _handles = new();
    private readonly Dictionary<uint, string> _opening = [];
    private readonly Dictionary<string, string> _open = [];

    public string? Lost => _fromClient.Lost ?? _fromTarget.Lost;

    public IReadOnlyList<SftpRequest> FromClient(ReadOnlySpan<byte> data)
    {
        List<SftpRequest>? found = null;
        _fromClient.Read(data, (type, body) =>
        {
            if (Request(type, body) is { } request)
            {
                (found ??= []).Add(request);
            }
        });
        return found ?? (IReadOnlyList<SftpRequest>)[];
    }

    public IReadOnlyList<SftpRequest> FromTarget(ReadOnlySpan<byte> data)
    {
        _fromTarget.Read(data, Reply);
        return [];
    }

    private SftpRequest? Request(byte type, byte[] body)
    {
        var reader = new Reader(body);
        if (!reader.TryUInt32(out var id))
        {
            return Unrecognised(type, null);
        }

        switch (type)
        {
            case Open when reader.TryString(out var path) && reader.TryUInt32(out var flags):
                Opening(id, path);
                var writes = (flags & (WriteFlag | AppendFlag | CreateFlag | TruncateFlag)) != 0;
                return new SftpRequest(writes || (flags & ReadFlag) == 0 ? SftpOperation.OpenForWrite : SftpOperation.OpenForRead, path);
            case OpenDirectory when reader.TryString(out var path):
                Opening(id, path);
                return new SftpRequest(SftpOperation.ListDirectory, path);
            case Close when reader.TryBytes(out var handle):
                lock (_handles)
                {
                    _open.Remove(handle);
                }

                return null;
            case SetStat when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.SetAttributes, path);
            case FSetStat when reader.TryBytes(out var handle):
                return new SftpRequest(SftpOperation.SetAttributes, PathOf(handle));
            case Remove when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.Remove, path);
            case MakeDirectory when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.MakeDirectory, path);
            case RemoveDirectory when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.RemoveDirectory, path);
            case Rename when reader.TryString(out var from) && reader.TryString(out var to):
                return new SftpRequest(SftpOperation.Rename, from, to);
            case Symlink when reader.TryString(out var pointsTo) && reader.TryString(out var link):
                // OpenSSH sends the link's target first and the link second (the reverse of the draft); so do its peers.
                return new SftpRequest(SftpOperation.CreateSymbolicLink, pointsTo, link);
            case Extended when reader.TryString(out var name):
                return ExtendedRequest(name, ref reader);
            default:
                return Unrecognised(type, null);
        }
    }

    private SftpRequest? ExtendedRequest(string name, ref Reader reader)
    {
        switch (name)
        {
            case "posix-rename@openssh.com" when reader.TryString(out var from) && reader.TryString(out var to):
                return new SftpRequest(SftpOperation.Rename, from, to);
            case "hardlink@openssh.com" when reader.TryString(out var existing) && reader.TryString(out var link):
                return new SftpRequest(SftpOperation.CreateHardLink, existing, link);
            case "lsetstat@openssh.com" when reader.TryString(out var path):
                return new SftpRequest(SftpOperation.SetAttributes, path);
            case "copy-data" when reader.TryBytes(out var source) && reader.TryUInt64() && reader.TryUInt64() && reader.TryBytes(out var destination):
                return new SftpRequest(SftpOperation.CopyData, PathOf(source), PathOf(destination));
            case var known when ReadOnlyExtensions.Contains(known):
                return null;
            default:
                return Unrecognised(Extended, name);
        }
    }

    private static SftpRequest Unrecognised(byte type, string? extension) =>
        new(SftpOperation.UnrecognisedRequest, extension is null ? $"sftp packet type {type}" : $"sftp extension {extension}");

    private void Reply(byte type, byte[] body)
    {
        var reader = new Reader(body);
        if (!reader.TryUInt32(out var id))
        {
            return;
        }

        lock (_handles)
        {
            if (_opening.Remove(id, out var path) && type == Handle && reader.TryBytes(out var handle))
            {
                _open[handle] = path;
            }
        }
    }

    private void Opening(uint id, string path)
    {
        lock (_handles)
        {
            _opening[id] = path;
        }
    }

    /// <summary>The path a handle was opened with; a handle the target never gave out is named as such.</summary>
    private string PathOf(string handle)
    {
        lock (_handles)
        {
            return _open.TryGetValue(handle, out var path) ? path : $"(unknown sftp handle {handle})";
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

        public bool TryUInt64()
        {
            if (_data.Length < 8)
            {
                return false;
            }

            _data = _data[8..];
            return true;
        }

        public bool TryString(out string value)
        {
            value = "";
            if (!TryRaw(out var raw))
            {
                return false;
            }

            value = Encoding.UTF8.GetString(raw);
            return true;
        }

        /// <summary>An opaque string (a handle), as hex: handles are bytes, not text.</summary>
        public bool TryBytes(out string value)
        {
            value = "";
            if (!TryRaw(out var raw))
            {
                return false;
            }

            value = Convert.ToHexString(raw);
            return true;
        }

        private bool TryRaw(out ReadOnlySpan<byte> raw)
        {
            raw = default;
            if (!TryUInt32(out var length) || length > (uint)_data.Length)
            {
                return false;
            }

            raw = _data[..(int)length];
            _data = _data[(int)length..];
            return true;
        }
    }
}
