namespace Gatehouse.Contracts;

public enum ForwardingEndReason
{
    /// <summary>The client ended it: it sent its end of data first, or closed the channel.</summary>
    ClientClosed,

    /// <summary>The destination ended it: the target sent its end of data first, or closed the channel.</summary>
    TargetClosed,

    /// <summary>The gateway's connection to the target failed while the forward was open.</summary>
    Failed,

    /// <summary>
    /// Access was withdrawn while the forward was open: the user disabled or deleted, the key removed, the grant revoked, the
    /// target removed, or a change of roles after which Authorization no longer allows this destination.
    /// </summary>
    AccessWithdrawn,

    /// <summary>The grant that allowed it expired.</summary>
    GrantExpired,

    /// <summary>It reached the maximum length (the gateway's, or its grant's when shorter) a session may last.</summary>
    MaxLength,

    /// <summary>An operator ended it (TerminateSession with its forwarding id).</summary>
    Terminated,
}
