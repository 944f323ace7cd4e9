using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sftp;

namespace Gatehouse.SessionBroker.Tests.Sftp;

public sealed class When_a_channel_carries_a_file_transfer
{
    [Theory]
    [InlineData("/usr/lib/openssh/sftp-server")]
    [InlineData("/usr/libexec/openssh/sftp-server -l VERBOSE")]
    [InlineData("sftp-server")]
    [InlineData("exec /usr/lib/sftp-server")]
    [InlineData("env LANG=C '/usr/lib/openssh/sftp-server'")]
    [InlineData("/opt/gnu-sftp-server")]
    [InlineData("internal-sftp")]
    public void Should_read_an_sftp_server_run_as_a_command_like_the_sftp_subsystem(string command)
    {
        Assert.IsType<SftpRequestReader>(TransferReaders.For(SessionKind.Exec, command));
    }

    [Theory]
    [InlineData("scp -t /srv")]
    [InlineData("scp -r -d -t -- /srv")]
    [InlineData("/usr/bin/scp -pf /etc/hosts")]
    public void Should_read_legacy_scp(string command)
    {
        Assert.IsType<ScpStreamReader>(TransferReaders.For(SessionKind.Exec, command));
    }

    [Theory]
    [InlineData("/usr/lib/openssh/sftp-server; rm -rf /tmp/x")]
    [InlineData("echo hi && scp -t /srv")]
    [InlineData("sh -c '/usr/lib/openssh/sftp-server'")]
    [InlineData("scp -t /srv /etc")]
    [InlineData("scp -Z -t /srv")]
    public void Should_refuse_a_transfer_it_cannot_follow(string command)
    {
        Assert.NotNull(TransferReaders.For(SessionKind.Exec, command)?.Lost);
    }

    [Theory]
    [InlineData(SessionKind.Exec, "uptime")]
    [InlineData(SessionKind.Exec, "scp --help")]
    [InlineData(SessionKind.Shell, null)]
    public void Should_leave_other_channels_alone(SessionKind kind, string? command)
    {
        Assert.Null(TransferReaders.For(kind, command));
    }

    [Fact]
    public void Should_read_the_sftp_subsystem()
    {
        Assert.IsType<SftpRequestReader>(TransferReaders.For(SessionKind.Subsystem, "sftp"));
    }
}
