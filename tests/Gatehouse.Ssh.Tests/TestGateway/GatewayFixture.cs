using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>A gateway on an ephemeral loopback port serving local shells, plus test-only client keys.</summary>
public class GatewayFixture : IAsyncLifetime
{
    private static readonly Lazy<string> SharedHostKeys = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), $"gatehouse-ssh-tests-{Environment.ProcessId}", "hostkeys");
        Directory.CreateDirectory(directory);
        return directory;
    });

    private SshServer? _server;

    internal LocalShellHooks Hooks { get; } = new();

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("gatehouse-ssh-").FullName;

    public string HostKeyDirectory => SharedHostKeys.Value;

    public int Port => _server!.LocalEndPoint.Port;

    public SshServer Server => _server!;

    /// <summary>Private key files (OpenSSH format) authorized for alice and bob.</summary>
    public string Ed25519Key => Path.Combine(WorkDirectory, "id_ed25519");

    public string EcdsaKey => Path.Combine(WorkDirectory, "id_ecdsa");

    public string Ecdsa384Key => Path.Combine(WorkDirectory, "id_ecdsa384");

    public string Ecdsa521Key => Path.Combine(WorkDirectory, "id_ecdsa521");

    public string RsaKey => Path.Combine(WorkDirectory, "id_rsa");

    /// <summary>A key that is valid but not authorized for anybody.</summary>
    public string StrangerKey => Path.Combine(WorkDirectory, "id_stranger");

    public const string LoginBanner = "Authorized use only. Sessions are recorded.\n";

    protected virtual void Configure(SshServerOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(
            GenerateKeyAsync(Ed25519Key, "ed25519"),
            GenerateKeyAsync(EcdsaKey, "ecdsa", "-b", "256"),
            GenerateKeyAsync(Ecdsa384Key, "ecdsa", "-b", "384"),
            GenerateKeyAsync(Ecdsa521Key, "ecdsa", "-b", "521"),
            GenerateKeyAsync(RsaKey, "rsa", "-b", "3072"),
            GenerateKeyAsync(StrangerKey, "ed25519"));
        foreach (var key in new[] { Ed25519Key, EcdsaKey, Ecdsa384Key, Ecdsa521Key, RsaKey })
        {
            Hooks.AuthorizedKeys.Add((await File.ReadAllTextAsync(key + ".pub")).Trim());
        }

        var options = new SshServerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HostKeyDirectory = HostKeyDirectory,
            AuthFailureDelay = TimeSpan.FromMilliseconds(50),
            MaxUnauthenticatedConnections = 400,
            MaxUnauthenticatedConnectionsPerSource = 400,
            MaxUnauthenticatedConnectionsPerSubnet = 400,
            UnauthenticatedHighWaterMark = 400,
            SourceShareUnderPressure = 400,
            SubnetShareUnderPressure = 400,
            // Every test client is on loopback, and the parser fuzzing alone makes hundreds of exchanges without signing in.
            MaxPreAuthKeyExchangesPerSource = 100_000,
            MaxPreAuthKeyExchangesPerSubnet = 100_000,
            LoginBanner = LoginBanner,
        };
        Configure(options);
        _server = new SshServer(options, Hooks, LoggerFactory);
        await _server.StartAsync();
    }

    internal RecordingLoggerProvider Log { get; } = new();

    private ILoggerFactory LoggerFactory => Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Debug);
        builder.AddProvider(Log);
        if (Environment.GetEnvironmentVariable("GATEHOUSE_SSH_TEST_LOG") is not null) builder.AddConsole();
    });

    private static async Task GenerateKeyAsync(string path, string type, params string[] extra)
    {
        var start = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-q", "-t", type, "-N", "", "-C", "test-only", "-f", path }.Concat(extra)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("ssh-keygen failed: " + await process.StandardError.ReadToEndAsync());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Directory.Delete(WorkDirectory, true);
    }
}
