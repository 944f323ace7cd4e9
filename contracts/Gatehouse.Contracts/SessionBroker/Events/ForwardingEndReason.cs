namespace Gatehouse.Contracts;

public enum ForwardingEndReason
{
    /// <summary>The client ended it: it sent its end of data first, or closed the channel.</summary>
    ClientClosed,

    /// <summary>The destination ended it: the target sent its end of data first, or closed the channel.</summary>
    TargetClosed,

    /// <summary>The gateway's connection to the target failed while the forward was open.</summary>
    Failed,

    /// <summary>The user's or key's access was withdrawn (disabled, deleted, key removed) while the forward was open.</summary>
    AccessWithdrawn,
}
