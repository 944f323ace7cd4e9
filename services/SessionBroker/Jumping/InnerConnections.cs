using System.Collections.Concurrent;
using System.Net;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.Ssh;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Jumping;

/// <summary>
/// Serves the inner SSH connection of a ProxyJump on the gateway's own SSH server, over the outer connection's channel:
/// shown as a host certificate for the target (principal: the target's name) signed by the Gatehouse host CA, so users
/// trust one @cert-authority line; handled by a <see cref="GatewayConnection"/> bound to the outer user, so it is
/// brokered like any other connection to that target.
/// </summary>
public sealed class InnerConnections(TimeProvider clock)
{
    /// <summary>How long a target's host certificate is valid; it is signed again when less than a quarter is left.</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(1);

    /// <summary>Clock skew a client may have: a certificate is valid from this long before it was signed.</summary>
    private static readonly TimeSpan Backdating = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, SshCertificate> _certificates = new(StringComparer.Ordinal);
    private SshServer? _server;
    private TargetHostIdentities? _identities;

    /// <summary>Called by the listener once the gateway's server runs: inner connections share its options, limits and shutdown.</summary>
    public void ServeOn(SshServer server, TargetHostIdentities identities) => (_server, _identities) = (server, identities);

    /// <summary>
    /// The target's host identity, shown with a current certificate from the host CA (signed when there is none yet or
    /// it runs out within a quarter of its lifetime). Throws when the CA cannot sign: the caller refuses the channel.
    /// The CA is the gateway's (<see cref="GatewayServices.Ca"/>), passed in so that one reference to it is kept.
    /// </summary>
    public async Task<SshHostIdentity> IdentityAsync(string target, GatehouseCa ca, CancellationToken cancellationToken)
    {
        var identity = Identities.For(target);
        try
        {
            var now = clock.GetUtcNow();
            if (!_certificates.TryGetValue(target, out var certificate)
                || DateTimeOffset.FromUnixTimeSeconds((long)certificate.ValidBefore) - now < CertificateLifetime / 4)
            {
                var key = OpenSshPublicKey.ParseLine(identity.PublicKey).Key!;
                certificate = await ca.SignHostCertificateAsync(key, [target], now - Backdating, now + CertificateLifetime,
                    $"gatehouse proxyjump {target}", cancellationToken);
                _certificates[target] = certificate;
            }

            using (identity)
            {
                return identity.WithCertificate(certificate.Blob);
            }
        }
        catch
        {
            identity.Dispose();
            throw;
        }
    }

    /// <summary>Runs the inner connection over the channel until it ends; the identity is the connection's to dispose.</summary>
    public Task ServeAsync(SshChannel channel, JumpBinding binding, SshHostIdentity identity, GatewayServices services)
    {
        var outer = channel.Connection;
        var hooks = new Hooks(info => new GatewayConnection(info, services, binding));
        var serving = Server.ServeAsync(channel.AsStream(), outer.RemoteEndPoint, new IPEndPoint(IPAddress.None, JumpDestination.SshPort), identity,
            hooks, () => _ = channel.CloseAsync().AsTask());
        return serving.ContinueWith(_ => identity.Dispose(), TaskScheduler.Default);
    }

    /// <summary>What a client needs in known_hosts: the gateway's listening port and host keys, and the host CA's keys.</summary>
    public async Task<JumpKnownHosts> KnownHostsAsync(GatehouseCa ca, CancellationToken cancellationToken)
    {
        var ring = await ca.RingAsync(CaKind.Host, cancellationToken);
        return new JumpKnownHosts(Server.LocalEndPoint.Port, Server.HostPublicKeys, ring.Trusted.Select(k => k.PublicKey).ToList());
    }

    private SshServer Server => _server ?? throw new InvalidOperationException("The gateway is not serving yet");

    private TargetHostIdentities Identities => _identities ?? throw new InvalidOperationException("The gateway is not serving yet");

    private sealed class Hooks(Func<SshConnectionInfo, GatewayConnection> connect) : ISshServerHooks
    {
        public ValueTask<ISshConnectionHandler> ConnectionStartedAsync(SshConnectionInfo connection, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ISshConnectionHandler>(connect(connection));
    }
}

/// <summary>The gateway's port and host keys, and the host CA's public keys (the coming one included) that sign the targets' certificates.</summary>
public sealed record JumpKnownHosts(int GatewayPort, IReadOnlyList<string> GatewayHostKeys, IReadOnlyList<string> HostCertificateAuthorities);
