using System.Buffers.Binary;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sftp;

namespace Gatehouse.SessionBroker.Tests.Sftp;

public sealed class SftpRequestReaderTests
{
    [Fact]
    public void Should_report_each_file_operation_with_its_paths()
    {
        var stream = Concat(
            Packet(1, [.. UInt32(3)]),
            Request(3, 1, Str("/srv/in.txt"), UInt32(0x1), UInt32(0)),
            Request(3, 2, Str("/srv/out.txt"), UInt32(0x2 | 0x8 | 0x10), UInt32(0)),
            Request(6, 3, Str("handle"), new byte[8], Str(new string('x', 20_000))),
            Request(13, 4, Str("/srv/old.log")),
            Request(18, 5, Str("/srv/a"), Str("/srv/b")),
            Request(200, 6, Str("posix-rename@openssh.com"), Str("/srv/b"), Str("/srv/c")),
            Request(14, 7, Str("/srv/dir"), UInt32(0)),
            Request(15, 8, Str("/srv/dir")),
            Request(9, 9, Str("/srv/c"), UInt32(0)));

        var requests = new SftpRequestReader().Read(stream);

        Assert.Equal(
            [
                new SftpRequest(SftpOperation.OpenForRead, "/srv/in.txt"),
                new SftpRequest(SftpOperation.OpenForWrite, "/srv/out.txt"),
                new SftpRequest(SftpOperation.Remove, "/srv/old.log"),
                new SftpRequest(SftpOperation.Rename, "/srv/a", "/srv/b"),
                new SftpRequest(SftpOperation.Rename, "/srv/b", "/srv/c"),
                new SftpRequest(SftpOperation.MakeDirectory, "/srv/dir"),
                new SftpRequest(SftpOperation.RemoveDirectory, "/srv/dir"),
                new SftpRequest(SftpOperation.SetAttributes, "/srv/c"),
            ],
            requests);
    }

    [Fact]
    public void Should_read_requests_split_at_any_byte()
    {
        var stream = Concat(Request(6, 1, Str("h"), new byte[8], Str("data")), Request(13, 2, Str("/tmp/gone")));
        var reader = new SftpRequestReader();

        var requests = stream.SelectMany(b => reader.Read([b])).ToList();

        Assert.Equal([new SftpRequest(SftpOperation.Remove, "/tmp/gone")], requests);
    }

    [Fact]
    public void Should_stop_reading_a_stream_that_is_not_sftp_without_failing()
    {
        var reader = new SftpRequestReader();

        Assert.Empty(reader.Read(Concat(UInt32(0), Request(13, 1, Str("/x")))));
        Assert.Empty(reader.Read(Request(13, 2, Str("/y"))));
    }

    private static byte[] Request(byte type, uint id, params byte[][] fields) => Packet(type, [.. UInt32(id), .. Concat(fields)]);

    private static byte[] Packet(byte type, byte[] body) => [.. UInt32((uint)body.Length + 1), type, .. body];

    private static byte[] Str(string value) => [.. UInt32((uint)Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
