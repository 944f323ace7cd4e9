using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Doctor;

namespace Gatehouse.SessionBroker.Tests.Doctor;

/// <summary>The doctor's checks on this machine's real /proc and a real state folder laid out by the test (Linux: /proc, file modes).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class When_the_doctor_checks_the_bastion : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("gatehouse-doctor-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private string Write(string relative, UnixFileMode mode)
    {
        var path = Path.Combine(_state, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "secret");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void Should_find_a_world_readable_secret_critical_a_group_readable_one_high_and_a_private_one_or_a_public_key_fine()
    {
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var open = Write("gateway/hostkeys/ssh_host_ed25519_key", owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var shared = Write("audit/digest-signing.key", owner | UnixFileMode.GroupRead);
        Write("authentication/signing.key", owner);
        Write("gateway/hostkeys/ssh_host_ed25519_key.pub", owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var findings = BastionChecks.SecretFileModes(_state);

        Assert.Equal(2, findings.Count);
        var critical = Assert.Single(findings, f => f.Code == "world-readable-secret");
        Assert.Equal(FindingSeverity.Critical, critical.Severity);
        Assert.Contains(open, critical.Title);
        Assert.Contains("0644", critical.Title);
        Assert.Contains("chmod o-rwx", critical.Fix);
        var high = Assert.Single(findings, f => f.Code == "group-readable-secret");
        Assert.Equal(FindingSeverity.High, high.Severity);
        Assert.Contains(shared, high.Title);
    }

    [Fact]
    public async Task Should_find_a_gatehouse_service_running_as_root_by_its_command_line()
    {
        var marker = $"Gatehouse.DoctorProbe-{Guid.NewGuid():N}";
        // A real process whose command line names it as the service; it runs as whoever runs the tests. The shell forks
        // its sleep, and for a moment the child carries the same command line: the finding looked for is the shell's.
        using var service = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 120; :", marker]))!;
        var shell = new Regex($@"\bpid {service.Id}\b");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            IReadOnlyList<PostureFinding> findings;
            do
            {
                findings = BastionChecks.ServicesRunningAsRoot("/proc", [marker]);
                await Task.Delay(50);
            }
            while (Environment.UserName == "root" && !findings.Any(f => shell.IsMatch(f.Title)) && DateTime.UtcNow < deadline);

            if (Environment.UserName == "root")
            {
                var finding = Assert.Single(findings, f => shell.IsMatch(f.Title));
                Assert.Equal(("service-as-root", FindingSeverity.Critical), (finding.Code, finding.Severity));
            }
            else
            {
                Assert.Empty(findings);
            }

            Assert.Empty(BastionChecks.ServicesRunningAsRoot("/proc", [$"Gatehouse.NotRunning-{Guid.NewGuid():N}"]));
        }
        finally
        {
            service.Kill(true);
        }
    }

    [Fact]
    public void Should_find_a_socket_listening_beyond_loopback_unless_expected()
    {
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var loopback = new TcpListener(IPAddress.Loopback, 0);
        loopback.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var loopbackPort = ((IPEndPoint)loopback.LocalEndpoint).Port;

            var found = Assert.Single(BastionChecks.UnexpectedListeners("/proc", []));
            Assert.Contains($"0.0.0.0:{port}", found.Title);
            Assert.DoesNotContain($":{loopbackPort}", found.Title);
            Assert.DoesNotContain($"0.0.0.0:{port}", BastionChecks.UnexpectedListeners("/proc", [$"*:{port}"]).SingleOrDefault()?.Title ?? "");
        }
        finally
        {
            listener.Stop();
            loopback.Stop();
        }
    }

    [Fact]
    public async Task Should_make_release_data_that_cannot_be_reached_a_finding_of_its_own_not_silence()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var finding = Assert.Single(await BastionChecks.RuntimeSecurityReleasesAsync(http, "http://127.0.0.1:9/{0}/releases.json", new Version(10, 0, 0),
            CancellationToken.None));
        Assert.Equal(("runtime-not-checked", FindingSeverity.Medium), (finding.Code, finding.Severity));
        Assert.Contains("not reachable", finding.Title);
    }
}
