using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.HostKeys;

/// <summary>
/// A connection served over a stream (<see cref="SshServer.ServeAsync"/>, what ProxyJump's inner connection runs on) with
/// its own host identity: a plain key, or the key shown as an OpenSSH host certificate, which the real ssh client checks
/// against one @cert-authority line (signature, principal) with StrictHostKeyChecking yes.
/// </summary>
public class ServingOverAStreamWithAHostCertificate(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_be_trusted_through_the_cert_authority_line_when_the_certificate_names_the_host()
    {
        using var identity = SshHostIdentity.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));
        var (certificate, authority) = await CertifyAsync(identity, "web01");
        using var certified = identity.WithCertificate(certificate);

        var result = await ConnectAsync(certified, $"@cert-authority web01 {authority}", "web01");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("served over a stream\n", result.Text);
        Assert.True(certified.Certified);
    }

    [Fact]
    public async Task Should_be_refused_by_ssh_when_the_certificate_names_another_host()
    {
        using var identity = SshHostIdentity.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));
        var (certificate, authority) = await CertifyAsync(identity, "db01");
        using var certified = identity.WithCertificate(certificate);

        var result = await ConnectAsync(certified, $"@cert-authority web01 {authority}", "web01");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Host key verification failed", result.Error);
    }

    [Fact]
    public async Task Should_offer_the_plain_key_that_a_known_hosts_line_pins()
    {
        using var identity = SshHostIdentity.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));

        var result = await ConnectAsync(identity, $"web01 {identity.PublicKey}", "web01");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(identity.Certified);
    }

    [Fact]
    public async Task Should_refuse_a_certificate_for_another_key()
    {
        using var identity = SshHostIdentity.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));
        using var other = SshHostIdentity.FromEd25519Seed(RandomNumberGenerator.GetBytes(32));
        var (certificate, _) = await CertifyAsync(other, "web01");

        Assert.Throws<ArgumentException>(() => identity.WithCertificate(certificate));
    }

    private async Task<(byte[] Certificate, string Authority)> CertifyAsync(SshHostIdentity identity, string principal)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-hostcert-").FullName;
        var authority = Path.Combine(directory, "host_ca");
        await OpenSsh.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", authority]);
        var hostKey = Path.Combine(directory, "host.pub");
        await File.WriteAllTextAsync(hostKey, identity.PublicKey + "\n");
        var signed = await OpenSsh.RunAsync("ssh-keygen", ["-q", "-s", authority, "-h", "-I", "test-host", "-n", principal, "-V", "-5m:+5m", hostKey]);
        Assert.True(signed.ExitCode == 0, signed.Error);
        var certificate = (await File.ReadAllTextAsync(Path.Combine(directory, "host-cert.pub"))).Split(' ')[1];
        return (Convert.FromBase64String(certificate), (await File.ReadAllTextAsync(authority + ".pub")).Trim());
    }

    /// <summary>One TCP connection handed to the server as a plain stream, and ssh checking its host key strictly under <paramref name="alias"/>.</summary>
    private async Task<ProcessResult> ConnectAsync(SshHostIdentity identity, string knownHostsLine, string alias)
    {
        var knownHosts = Path.Combine(gateway.WorkDirectory, $"known_hosts-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(knownHosts, knownHostsLine + "\n");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            var socket = await listener.AcceptSocketAsync();
            var stream = new NetworkStream(socket, ownsSocket: true);
            await gateway.Server.ServeAsync(stream, (IPEndPoint)socket.RemoteEndPoint!, (IPEndPoint)socket.LocalEndPoint!, identity, gateway.Hooks,
                () => stream.Dispose());
        });

        var result = await OpenSsh.RunAsync("ssh",
        [
            "-F", "/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile={knownHosts}", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", $"HostKeyAlias={alias}", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", gateway.Ed25519Key, "-p", port.ToString(),
            "alice@127.0.0.1", "echo served over a stream",
        ]);
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
        return result;
    }
}
