namespace Gatehouse.Contracts;

public enum ForwardingEndReason
{
    /// <summary>Both sides sent their end of data, or the client closed the channel.</summary>
    Closed,

    /// <summary>The target closed the forwarded connection first.</summary>
    TargetClosed,

    /// <summary>The client's connection to the gateway ended while the forward was open.</summary>
    ConnectionLost,

    /// <summary>The gateway's connection to the target failed while the forward was open.</summary>
    TargetLost,
}
