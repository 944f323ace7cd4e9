using System.Text.Json.Serialization;

namespace Gatehouse.Contracts;

/// <summary>
/// Why a brokered session ended. Written as the strings the events carried before this was an enum ("client-closed"),
/// so stored events read the same and Audit's views, rules and exports see no change.
/// </summary>
public enum SessionEndReason
{
    /// <summary>The user closed the channel or went away.</summary>
    [JsonStringEnumMemberName("client-closed")] ClientClosed,

    /// <summary>The target closed the channel (the shell or command ended there).</summary>
    [JsonStringEnumMemberName("target-closed")] TargetClosed,

    [JsonStringEnumMemberName("idle-timeout")] IdleTimeout,

    /// <summary>The session reached its maximum length (the gateway's, or its grant's when shorter).</summary>
    [JsonStringEnumMemberName("max-length")] MaxLength,

    /// <summary>The grant it ran under expired.</summary>
    [JsonStringEnumMemberName("grant-expired")] GrantExpired,

    /// <summary>Ended on request (an operator's, or Gatehouse's own when access was withdrawn).</summary>
    [JsonStringEnumMemberName("terminated")] Terminated,

    /// <summary>The exec command was refused by a command policy.</summary>
    [JsonStringEnumMemberName("command-blocked")] CommandBlocked,

    /// <summary>The target refused to start the shell, command or subsystem.</summary>
    [JsonStringEnumMemberName("target-refused")] TargetRefused,

    /// <summary>The session failed on the gateway.</summary>
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>A file transfer the gateway follows became unreadable mid-way.</summary>
    [JsonStringEnumMemberName("transfer-unreadable")] TransferUnreadable,

    /// <summary>A transfer command the gateway cannot follow was refused before it ran.</summary>
    [JsonStringEnumMemberName("transfer-unfollowable")] TransferUnfollowable,

    /// <summary>Something the session must record could not be (the session store was unavailable).</summary>
    [JsonStringEnumMemberName("store-unavailable")] StoreUnavailable,

    /// <summary>The gateway's connection to the target was lost (the target went away, or the network between them failed).</summary>
    [JsonStringEnumMemberName("target-lost")] TargetLost,
}

public static class SessionEndReasons
{
    /// <summary>How the reason is written in events and shown to operators: "client-closed".</summary>
    public static string Spelling(this SessionEndReason reason) => reason switch
    {
        SessionEndReason.ClientClosed => "client-closed",
        SessionEndReason.TargetClosed => "target-closed",
        SessionEndReason.IdleTimeout => "idle-timeout",
        SessionEndReason.MaxLength => "max-length",
        SessionEndReason.GrantExpired => "grant-expired",
        SessionEndReason.Terminated => "terminated",
        SessionEndReason.CommandBlocked => "command-blocked",
        SessionEndReason.TargetRefused => "target-refused",
        SessionEndReason.Error => "error",
        SessionEndReason.TransferUnreadable => "transfer-unreadable",
        SessionEndReason.TransferUnfollowable => "transfer-unfollowable",
        SessionEndReason.StoreUnavailable => "store-unavailable",
        SessionEndReason.TargetLost => "target-lost",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
