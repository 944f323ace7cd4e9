using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Hostile;

/// <summary>A gateway with tight limits so that misbehaving clients hit them quickly.</summary>
public sealed class HardenedGateway : GatewayFixture
{
    public const int WindowSize = 64 * 1024;
    public const int PerSourceLimit = 8;

    /// <summary>
    /// For a probe that only checks the gateway still serves: curve25519. The 2 s login grace leaves no room for
    /// BouncyCastle's sntrup761 (OpenSSH 9.2's default) on a test machine saturated by other work; its cost is measured
    /// in tests/Benchmarks/SshGateway, and the post-quantum exchanges are tested under normal limits.
    /// </summary>
    public static readonly string[] QuickKeyExchange = ["-o", "KexAlgorithms=curve25519-sha256"];

    protected override void Configure(SshServerOptions options)
    {
        options.LoginGraceTime = TimeSpan.FromSeconds(2);
        options.ChannelWindowSize = WindowSize;
        options.MaxAuthAttempts = 3;
        options.AuthFailureDelay = TimeSpan.FromMilliseconds(200);
        options.MaxUnauthenticatedConnectionsPerSource = PerSourceLimit;
        options.MaxChannelsPerConnection = 2;
        options.IdleTimeout = TimeSpan.FromSeconds(3);
    }
}
