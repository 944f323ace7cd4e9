using Gatehouse.SessionBroker.Posture;

namespace Gatehouse.SessionBroker.Tests.Posture;

public sealed class When_an_sshd_names_its_software
{
    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "9.2p1", "debian", "1:9.2p1-2+deb12u3")]
    [InlineData("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", "8.9p1", "ubuntu", "1:8.9p1-3ubuntu0.10")]
    [InlineData("SSH-2.0-OpenSSH_8.4p1 Raspbian-5+deb11u3", "8.4p1", "debian", "1:8.4p1-5+deb11u3")]
    [InlineData("SSH-2.0-OpenSSH_9.9", "9.9p1", null, null)]
    [InlineData("SSH-2.0-OpenSSH_9.8p1", "9.8p1", null, null)]
    [InlineData("SSH-2.0-OpenSSH_8.7", "8.7p1", null, null)]
    [InlineData("SSH-2.0-OpenSSH_9.6p1 hardened", "9.6p1", null, null)]
    public void An_openssh_line_names_its_upstream_version_and_the_distributions_package(string line, string upstream, string? distribution,
        string? package)
    {
        var software = SshServerSoftware.Parse(line);
        Assert.True(software.IsOpenSsh);
        Assert.Equal(upstream, software.Upstream!.ToString());
        Assert.Equal(distribution, software.Distribution);
        Assert.Equal(package, software.Package?.ToString());
    }

    [Theory]
    [InlineData("SSH-2.0-dropbear_2022.83")]
    [InlineData("SSH-2.0-Gatehouse")]
    [InlineData("garbage")]
    public void Another_server_is_not_taken_for_openssh(string line) => Assert.False(SshServerSoftware.Parse(line).IsOpenSsh);
}
