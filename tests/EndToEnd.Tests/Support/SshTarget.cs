using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// A real OpenSSH server on a loopback port with its own configuration and host key, accepting only the key the
/// gateway holds in its vault, for the login the tests run as.
/// </summary>
public sealed class SshTarget : IAsyncDisposable
{
    private readonly Process _sshd;
    private int _disposed;
    private readonly ConcurrentQueue<string> _log;

    private SshTarget(Process sshd, ConcurrentQueue<string> log, int port, string hostKeyLine, string directory)
    {
        _sshd = sshd;
        _log = log;
        Port = port;
        HostKeyLine = hostKeyLine;
        Directory = directory;
    }

    /// <summary>What sshd logged (connections, accepted and failed logins), so a test can see what reached the target.</summary>
    public IReadOnlyCollection<string> Log => _log;

    public int Port { get; }

    /// <summary>The target's public host key, as pinned in Authorization.</summary>
    public string HostKeyLine { get; }

    /// <summary>A scratch folder the tests use as the target's file system.</summary>
    public string Directory { get; }

    /// <summary>The login the gateway uses: sshd runs as the test user, so that is the only one it can serve.</summary>
    public static string Login => Environment.UserName;

    /// <summary>Starts sshd accepting <paramref name="authorizedKey"/> for the test user.</summary>
    public static Task<SshTarget> StartAsync(string directory, string authorizedKey) =>
        StartAsync(directory, authorizedKey, """
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            """);

    /// <summary>
    /// Starts sshd accepting only a password and only for the local account <paramref name="login"/>: checked by sshd
    /// itself ("password" authentication), or through PAM, which only keyboard-interactive offers, as on many targets.
    /// </summary>
    public static Task<SshTarget> StartForPasswordAsync(string directory, string login, bool throughPam) =>
        StartAsync(directory, "", $"""
            UsePAM {(throughPam ? "yes" : "no")}
            PasswordAuthentication {(throughPam ? "no" : "yes")}
            KbdInteractiveAuthentication {(throughPam ? "yes" : "no")}
            PubkeyAuthentication no
            AllowUsers {login}
            """);

    /// <summary>
    /// Starts sshd that accepts only user certificates from the CAs in <paramref name="trustedUserCaKeys"/> (TrustedUserCAKeys,
    /// no authorized_keys), and presents the host certificate <paramref name="hostCertificateFor"/> makes for its host key, if given.
    /// </summary>
    public static Task<SshTarget> StartTrustingUserCaAsync(string directory, string trustedUserCaKeys,
        Func<string, Task<string>>? hostCertificateFor = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var caFile = Path.Combine(directory, "trusted_user_ca_keys");
        File.WriteAllText(caFile, trustedUserCaKeys.Trim() + "\n");
        return StartAsync(directory, "", $"""
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            TrustedUserCAKeys {caFile}
            """, hostCertificateFor);
    }

    private static async Task<SshTarget> StartAsync(string directory, string authorizedKey, string authentication,
        Func<string, Task<string>>? hostCertificateFor = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var hostKey = await Processes.KeyPairAsync(directory, "ssh_host_ed25519_key");
        if (hostCertificateFor is not null)
        {
            var certificate = hostKey + "-cert.pub";
            await File.WriteAllTextAsync(certificate, await hostCertificateFor(await File.ReadAllTextAsync(hostKey + ".pub")) + "\n");
            authentication += $"\nHostCertificate {certificate}";
        }

        var authorizedKeys = Path.Combine(directory, "authorized_keys");
        await File.WriteAllTextAsync(authorizedKeys, authorizedKey.Trim() + "\n");
        var port = Processes.FreePort();
        var config = Path.Combine(directory, "sshd_config");
        // sshd takes the first value of a keyword, so each appears once.
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {hostKey}
            AuthorizedKeysFile {authorizedKeys}
            StrictModes no
            PidFile none
            PermitRootLogin prohibit-password
            AcceptEnv LANG LC_*
            LogLevel VERBOSE
            Subsystem sftp /usr/lib/openssh/sftp-server
            {authentication}
            """ + "\n");
        if (Environment.UserName == "root")
        {
            System.IO.Directory.CreateDirectory("/run/sshd");
        }

        var sshd = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", config, "-h", hostKey])
        {
            RedirectStandardError = true,
        })!;
        var log = new ConcurrentQueue<string>();
        sshd.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Enqueue(e.Data);
            }
        };
        sshd.BeginErrorReadLine();
        await Processes.WaitForPortAsync(port);
        var hostKeyLine = string.Join(' ', (await File.ReadAllTextAsync(hostKey + ".pub")).Split(' ').Take(2));
        return new SshTarget(sshd, log, port, hostKeyLine, directory);
    }

    /// <summary>Kills sshd and every connection it serves (a test may do so early, to take the target away).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_sshd.HasExited)
        {
            _sshd.Kill(true);
        }

        await _sshd.WaitForExitAsync();
        _sshd.Dispose();
    }
}
