using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Hostile;

/// <summary>A gateway with tight limits so that misbehaving clients hit them quickly.</summary>
public sealed class HardenedGateway : GatewayFixture
{
    public const int WindowSize = 64 * 1024;
    public const int PerSourceLimit = 8;

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
