using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sftp;
using static Gatehouse.TestSupport.SftpPackets;

namespace Gatehouse.SessionBroker.Tests.Sftp;

public sealed class When_sftp_requests_are_read
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

        var requests = new SftpRequestReader().FromClient(stream);

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
    public void Should_report_links_listings_and_attribute_changes_made_through_a_handle()
    {
        var reader = new SftpRequestReader();

        var opened = reader.FromClient(Concat(
            Request(3, 1, Str("/srv/app.sh"), UInt32(0x1), UInt32(0)),
            Request(3, 2, Str("/srv/copy.sh"), UInt32(0x2 | 0x8), UInt32(0)),
            Request(11, 3, Str("/srv"))));
        Assert.Empty(reader.FromTarget(Concat(Request(102, 1, Str("h1")), Request(102, 2, Str("h2")), Request(102, 3, Str("h3")))));
        var changed = reader.FromClient(Concat(
            Request(10, 4, Str("h1"), UInt32(0x4), UInt32(0x1ed)),
            Request(200, 5, Str("copy-data"), Str("h1"), new byte[8], new byte[8], Str("h2"), new byte[8]),
            Request(20, 6, Str("/etc/shadow"), Str("/srv/link")),
            Request(200, 7, Str("hardlink@openssh.com"), Str("/srv/app.sh"), Str("/srv/hard")),
            Request(200, 8, Str("lsetstat@openssh.com"), Str("/srv/link"), UInt32(0)),
            Request(200, 9, Str("statvfs@openssh.com"), Str("/srv")),
            Request(200, 10, Str("vendor-wipe@example.com"), Str("/srv")),
            Request(4, 11, Str("h1")),
            Request(10, 12, Str("h1"), UInt32(0))));

        Assert.Equal(
            [
                new SftpRequest(SftpOperation.OpenForRead, "/srv/app.sh"),
                new SftpRequest(SftpOperation.OpenForWrite, "/srv/copy.sh"),
                new SftpRequest(SftpOperation.ListDirectory, "/srv"),
                new SftpRequest(SftpOperation.SetAttributes, "/srv/app.sh"),
                new SftpRequest(SftpOperation.CopyData, "/srv/app.sh", "/srv/copy.sh"),
                new SftpRequest(SftpOperation.CreateSymbolicLink, "/etc/shadow", "/srv/link"),
                new SftpRequest(SftpOperation.CreateHardLink, "/srv/app.sh", "/srv/hard"),
                new SftpRequest(SftpOperation.SetAttributes, "/srv/link"),
                new SftpRequest(SftpOperation.UnrecognisedRequest, "sftp extension vendor-wipe@example.com"),
                new SftpRequest(SftpOperation.SetAttributes, $"(unknown sftp handle {Convert.ToHexString("h1"u8)})"),
            ],
            [.. opened, .. changed]);
        Assert.Null(reader.Lost);
    }

    [Fact]
    public void Should_keep_reading_after_requests_larger_than_64_KiB()
    {
        var stream = Concat(
            Request(6, 1, Str("h"), new byte[8], Str(new string('x', 200 * 1024))),
            Request(200, 2, Str("vendor-bulk@example.com"), Str(new string('y', 100 * 1024))),
            Request(9, 3, Str("/srv/" + new string('z', 70 * 1024)), UInt32(0)),
            Request(13, 4, Str("/srv/gone")),
            Request(18, 5, Str("/srv/a"), Str("/srv/b")),
            Request(14, 6, Str("/srv/new"), UInt32(0)));
        var reader = new SftpRequestReader();

        var requests = stream.Chunk(32 * 1024).SelectMany(chunk => reader.FromClient(chunk)).ToList();

        Assert.Equal(
            [
                new SftpRequest(SftpOperation.UnrecognisedRequest, "sftp extension vendor-bulk@example.com"),
                new SftpRequest(SftpOperation.SetAttributes, "/srv/" + new string('z', 70 * 1024)),
                new SftpRequest(SftpOperation.Remove, "/srv/gone"),
                new SftpRequest(SftpOperation.Rename, "/srv/a", "/srv/b"),
                new SftpRequest(SftpOperation.MakeDirectory, "/srv/new"),
            ],
            requests);
        Assert.Null(reader.Lost);
    }

    [Fact]
    public void Should_read_requests_and_replies_split_at_any_byte()
    {
        var stream = Concat(Request(6, 1, Str("h"), new byte[8], Str("data")), Request(13, 2, Str("/tmp/gone")),
            Request(3, 3, Str("/tmp/f"), UInt32(0x1), UInt32(0)));
        var reader = new SftpRequestReader();

        var requests = stream.SelectMany(b => reader.FromClient([b])).ToList();
        foreach (var b in Concat(Request(103, 9, Str("data")), Request(102, 3, Str("hf"))))
        {
            reader.FromTarget([b]);
        }

        Assert.Equal([new SftpRequest(SftpOperation.Remove, "/tmp/gone"), new SftpRequest(SftpOperation.OpenForRead, "/tmp/f")], requests);
        Assert.Equal([new SftpRequest(SftpOperation.SetAttributes, "/tmp/f")], reader.FromClient(Request(10, 4, Str("hf"), UInt32(0))));
    }

    [Fact]
    public void Should_report_unknown_request_types_and_keep_reading()
    {
        var reader = new SftpRequestReader();

        var requests = reader.FromClient(Concat(Request(21, 1, Str("/srv/x")), Request(13, 2, Str("/srv/y"))));

        Assert.Equal([new SftpRequest(SftpOperation.UnrecognisedRequest, "sftp packet type 21"), new SftpRequest(SftpOperation.Remove, "/srv/y")],
            requests);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(256 * 1024 + 1u)]
    [InlineData(0x41414141u)]
    public void Should_lose_a_stream_whose_packet_length_is_not_sftp(uint length)
    {
        var reader = new SftpRequestReader();

        Assert.Empty(reader.FromClient(Concat(UInt32(length), [13], Request(13, 1, Str("/x")))));

        Assert.Contains($"length of {length} bytes", reader.Lost);
        Assert.Empty(reader.FromClient(Request(13, 2, Str("/y"))));
    }

    [Fact]
    public void Should_lose_a_stream_whose_replies_are_not_sftp()
    {
        var reader = new SftpRequestReader();

        reader.FromTarget("Welcome to the target!\n"u8);

        Assert.NotNull(reader.Lost);
    }
}
