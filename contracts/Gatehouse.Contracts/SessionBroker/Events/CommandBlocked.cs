namespace Gatehouse.Contracts;

/// <summary>A command policy stopped a command before it reached the target; nothing of the line was run.</summary>
/// <param name="Sequence">The position the line would have had among the session's commands, from 1.</param>
/// <param name="CommandLine">The whole line or exec command the user sent.</param>
/// <param name="BlockedCommand">The simple command inside it that matched the policy.</param>
/// <param name="Action">What the policy asks for; commands needing approval are refused too, as no approval can be given mid-session.</param>
/// <param name="Commands">The simple commands the line would have started, as the gateway read them (null in events written
/// before they were recorded).</param>
public sealed record CommandBlocked(
    Guid SessionId,
    int Sequence,
    string UserName,
    string Target,
    string Login,
    string CommandLine,
    string BlockedCommand,
    Guid PolicyId,
    string PolicyName,
    CommandPolicyAction Action,
    CommandCapture Capture,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<ShellCommand>? Commands = null) : IAccessEvent;
