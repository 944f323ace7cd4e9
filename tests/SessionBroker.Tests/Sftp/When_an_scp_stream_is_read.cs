using System.Text;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sftp;

namespace Gatehouse.SessionBroker.Tests.Sftp;

public sealed class When_an_scp_stream_is_read
{
    [Fact]
    public void Should_name_every_file_and_directory_of_a_recursive_upload_with_its_full_path()
    {
        var reader = ScpStreamReader.For(["scp", "-r", "-p", "-t", "/srv/in"])!;
        var stream = Concat(
            "T1700000000 0 1700000000 0\n", "D0755 0 site\n",
            "C0644 5 index.html\n", "hello", "\0",
            "D0700 0 img\n", "C0600 0 empty.png\n", "\0", "E\n",
            "C0644 3 b c.txt\n", "abc", "\0",
            "E\n");

        var requests = stream.SelectMany(b => reader.FromClient([b])).ToList();

        Assert.Equal(
            [
                new SftpRequest(SftpOperation.MakeDirectory, "/srv/in"),
                new SftpRequest(SftpOperation.OpenForWrite, "/srv/in/index.html"),
                new SftpRequest(SftpOperation.MakeDirectory, "/srv/in/img"),
                new SftpRequest(SftpOperation.OpenForWrite, "/srv/in/img/empty.png"),
                new SftpRequest(SftpOperation.OpenForWrite, "/srv/in/b c.txt"),
            ],
            requests);
        Assert.Empty(reader.FromTarget("\0\0\0"u8));
        Assert.Null(reader.Lost);
    }

    [Theory]
    [InlineData("scp -t /srv/drop/", "/srv/drop/report.csv")]
    [InlineData("scp -d -t /srv/drop", "/srv/drop/report.csv")]
    [InlineData("scp -t /srv/drop/renamed.csv", "/srv/drop/renamed.csv")]
    [InlineData("scp -t .", "./report.csv")]
    public void Should_name_an_uploaded_file_where_scp_puts_it(string command, string path)
    {
        var reader = ScpStreamReader.For(command.Split(' '))!;

        var requests = reader.FromClient(Concat("C0644 4 report.csv\n", "1234", "\0"));

        Assert.Equal([new SftpRequest(SftpOperation.OpenForWrite, path)], requests);
    }

    [Fact]
    public void Should_name_every_file_of_a_download_from_the_target_side_and_skip_contents_by_size()
    {
        var reader = ScpStreamReader.For(["scp", "-r", "-f", "--", "/var/log/app", "/etc/hosts", "/tmp/*.txt"])!;
        var contents = new string('\n', 70_000);
        var stream = Concat(
            "D0755 0 app\n", "C0644 70000 current.log\n", contents, "\0", "E\n",
            "C0644 2 hosts\n", "ok", "\0",
            "C0644 1 notes.txt\n", "C", "\0",
            "\u0001scp: /tmp/locked.txt: Permission denied\n");

        Assert.Empty(reader.FromClient("\0\0\0\0\0\0"u8));
        var requests = stream.Chunk(1000).SelectMany(chunk => reader.FromTarget(chunk)).ToList();

        Assert.Equal(
            [
                new SftpRequest(SftpOperation.ListDirectory, "/var/log/app"),
                new SftpRequest(SftpOperation.OpenForRead, "/var/log/app/current.log"),
                new SftpRequest(SftpOperation.OpenForRead, "/etc/hosts"),
                new SftpRequest(SftpOperation.OpenForRead, "/tmp/notes.txt"),
            ],
            requests);
        Assert.Null(reader.Lost);
    }

    [Theory]
    [InlineData("X0644 1 a\n")]
    [InlineData("C0644 -1 a\n")]
    [InlineData("C0644 1 ../escape\n")]
    [InlineData("E\n")]
    [InlineData("C0644 1 a\nx\u0007")]
    public void Should_lose_a_stream_that_is_not_scp(string stream)
    {
        var reader = ScpStreamReader.For(["scp", "-t", "/srv"])!;

        reader.FromClient(Encoding.UTF8.GetBytes(stream));

        Assert.NotNull(reader.Lost);
    }

    [Fact]
    public void Should_lose_a_stream_with_an_endless_line()
    {
        var reader = ScpStreamReader.For(["scp", "-t", "/srv"])!;

        reader.FromClient(Encoding.UTF8.GetBytes("C0644 1 " + new string('a', 9000)));

        Assert.Contains("longer than", reader.Lost);
    }

    private static byte[] Concat(params string[] parts) => Encoding.UTF8.GetBytes(string.Concat(parts));
}
