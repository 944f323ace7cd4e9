namespace Gatehouse.Contracts;

/// <summary>What a client asked to forward through the gateway.</summary>
public enum ForwardingKind
{
    /// <summary>A TCP connection opened from the target to a destination (ssh -L, ssh -W: a direct-tcpip channel).</summary>
    Local,

    /// <summary>A port listened on for the client (ssh -R: a tcpip-forward request).</summary>
    Remote,

    /// <summary>The client's SSH agent offered to the target (ssh -A).</summary>
    Agent,

    /// <summary>X11 connections from the target to the client's display (ssh -X).</summary>
    X11,

    /// <summary>
    /// A connection that arrived at a port the target listens on for the client (ssh -R), passed on to the client; its
    /// destination is that port, its originator where the target says the connection came from.
    /// </summary>
    RemoteConnection,
}
