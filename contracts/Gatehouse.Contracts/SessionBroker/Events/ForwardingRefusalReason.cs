namespace Gatehouse.Contracts;

public enum ForwardingRefusalReason
{
    /// <summary>The gateway does not offer this kind of forwarding (remote, agent, X11).</summary>
    NotOffered,

    /// <summary>Authorization refused the connection's access when the forward was asked for.</summary>
    AccessRefused,

    /// <summary>The grant that allows the access does not allow port forwarding.</summary>
    NotAllowedByGrant,

    /// <summary>The grant allows port forwarding, but not to this destination.</summary>
    DestinationNotListed,

    /// <summary>The gateway could not connect to the target, or the target refused to open the connection to the destination.</summary>
    TargetRefused,

    /// <summary>
    /// On a ProxyJump connection (signed in without a target), a channel to something other than a target's SSH port: such
    /// a connection carries inner SSH connections to targets only.
    /// </summary>
    NotATargetSshPort,

    /// <summary>A ProxyJump to a target refused because the Gatehouse host CA could not sign the host certificate its inner connection is shown with.</summary>
    HostCertificateUnavailable,

    /// <summary>A connection that arrived at a remote forward's port was refused by the client (nothing listens where it forwards to).</summary>
    ClientRefused,

    /// <summary>
    /// This gateway cannot carry tunnels safely: its SSH.NET build lacks what a tunnel's flow control binds to (a tunnel
    /// without it would let one stalled client hold up every channel of the target connection).
    /// </summary>
    GatewayCannotForward,
}
