using System.Net;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Jumping;

/// <summary>
/// Serves the inner SSH connection of a ProxyJump on the gateway's own SSH server, over the outer connection's channel:
/// with the target's host identity, and handled by a <see cref="GatewayConnection"/> bound to the outer user, so it is
/// brokered like any other connection to that target.
/// </summary>
public sealed class InnerConnections
{
    private SshServer? _server;
    private TargetHostIdentities? _identities;

    /// <summary>Called by the listener once the gateway's server runs: inner connections share its options, limits and shutdown.</summary>
    public void ServeOn(SshServer server, TargetHostIdentities identities) => (_server, _identities) = (server, identities);

    public Task ServeAsync(SshChannel channel, JumpBinding binding, GatewayServices services)
    {
        var (server, identities) = (_server, _identities);
        if (server is null || identities is null)
        {
            throw new InvalidOperationException("The gateway is not serving yet");
        }

        var identity = identities.For(binding.Target);
        var outer = channel.Connection;
        var hooks = new Hooks(info => new GatewayConnection(info, services, binding));
        var serving = server.ServeAsync(channel.AsStream(), outer.RemoteEndPoint, new IPEndPoint(IPAddress.None, JumpDestination.SshPort), identity,
            hooks, () => _ = channel.CloseAsync().AsTask());
        return serving.ContinueWith(_ => identity.Dispose(), TaskScheduler.Default);
    }

    /// <summary>
    /// What a client needs in known_hosts to check the gateway and the inner connections of <paramref name="targets"/>: the
    /// gateway's listening port and host keys, and each target's served host key.
    /// </summary>
    public JumpKnownHosts KnownHosts(IReadOnlyList<string> targets)
    {
        var (server, identities) = (_server, _identities);
        if (server is null || identities is null)
        {
            throw new InvalidOperationException("The gateway is not serving yet");
        }

        return new JumpKnownHosts(server.LocalEndPoint.Port, server.HostPublicKeys, targets.Select(target =>
        {
            using var identity = identities.For(target);
            return new TargetHostKey(target, identity.PublicKey);
        }).ToList());
    }

    private sealed class Hooks(Func<SshConnectionInfo, GatewayConnection> connect) : ISshServerHooks
    {
        public ValueTask<ISshConnectionHandler> ConnectionStartedAsync(SshConnectionInfo connection, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ISshConnectionHandler>(connect(connection));
    }
}

/// <summary>The gateway's port and host keys, and the host key each named target's ProxyJump connection is served with.</summary>
public sealed record JumpKnownHosts(int GatewayPort, IReadOnlyList<string> GatewayHostKeys, IReadOnlyList<TargetHostKey> Targets);

public sealed record TargetHostKey(string Target, string HostKey);
