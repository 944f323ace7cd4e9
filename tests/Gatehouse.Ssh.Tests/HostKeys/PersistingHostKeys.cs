using System.Net;
using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.HostKeys;

public class PersistingHostKeys : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("gatehouse-hostkeys-").FullName, "keys");

    [Fact]
    public async Task Should_generate_keys_on_first_start_readable_only_by_the_owner_and_reuse_them_afterwards()
    {
        IReadOnlyList<string> first;
        await using (var server = await StartAsync())
        {
            first = server.HostKeyFingerprints;
        }
        await using var restarted = await StartAsync();

        Assert.Equal(first, restarted.HostKeyFingerprints);
        Assert.Equal(["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"], first.Select(f => f.Split(' ')[0]));
        Assert.All(first, f => Assert.Matches("^[a-z0-9-]+ SHA256:[A-Za-z0-9+/]{43}$", f));
        foreach (var file in Directory.GetFiles(_directory))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
    }

    [Fact]
    public async Task Should_restrict_a_key_file_that_others_could_read()
    {
        await (await StartAsync()).DisposeAsync();
        var rsaKey = Path.Combine(_directory, "ssh_host_rsa_key");
        File.SetUnixFileMode(rsaKey, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await (await StartAsync()).DisposeAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(rsaKey));
    }

    [Fact]
    public async Task Should_show_clients_the_fingerprints_it_reports()
    {
        await using var server = await StartAsync(nist: true);

        var scan = await OpenSsh.RunAsync("ssh-keyscan", ["-p", server.LocalEndPoint.Port.ToString(), "-t", "ed25519,ecdsa,rsa", "127.0.0.1"]);
        var fingerprints = await OpenSsh.RunAsync("ssh-keygen", ["-l", "-f", "-"], input: new MemoryStream(scan.Output));

        foreach (var reported in server.HostKeyFingerprints)
        {
            Assert.Contains(reported.Split(' ')[1], fingerprints.Text);
        }
    }

    private async Task<SshServer> StartAsync(bool nist = false)
    {
        var options = new SshServerOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), HostKeyDirectory = _directory };
        if (nist) options.HostKeyAlgorithms = ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512"];
        var server = new SshServer(options, new LocalShellHooks());
        await server.StartAsync();
        return server;
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, true);
}
