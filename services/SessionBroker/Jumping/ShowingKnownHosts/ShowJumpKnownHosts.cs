using Gatehouse.SessionBroker.CertificateAuthority;

namespace Gatehouse.SessionBroker.Jumping.ShowingKnownHosts;

/// <summary>
/// <c>GET /api/proxyjump/known-hosts</c>: the gateway's port and host keys, and the host CA's keys that sign the targets'
/// ProxyJump certificates, for <c>gatehouse ssh-config</c> to print as known_hosts lines. Public keys only.
/// </summary>
public static class ShowJumpKnownHosts
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/proxyjump/known-hosts", async (InnerConnections jumps, GatehouseCa ca, CancellationToken cancellationToken) =>
            Results.Ok(await jumps.KnownHostsAsync(ca, cancellationToken)));
}
