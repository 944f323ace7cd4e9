using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

/// <summary>The session's record as the gate sees it: the policies it hands out, and what was recorded and told.</summary>
public sealed class CommandsKept : ICommandRecord
{
    /// <summary>The policy the gate's tests refuse lines with.</summary>
    public static readonly SessionCommandPolicy NoRecursiveDelete =
        new(Guid.NewGuid(), "no-recursive-delete", "rm -rf *", CommandPatternKind.Glob, @"^rm -rf .*\z", CommandPolicyAction.Deny);

    public CommandPolicyCheck? Policies { get; set; } = new([]);

    public List<string> Executed { get; } = [];

    public List<string> Blocked { get; } = [];

    public List<string> Told { get; } = [];

    public Task<CommandPolicyCheck?> PoliciesAsync() => Task.FromResult(Policies);

    public Task<bool> ExecutedAsync(string commandLine, CommandCapture capture, IReadOnlyList<ShellCommand>? commands)
    {
        Executed.Add(commandLine);
        return Task.FromResult(true);
    }

    public Task BlockedAsync(string commandLine, string blockedCommand, SessionCommandPolicy? policy, CommandCapture capture,
        IReadOnlyList<ShellCommand>? commands, string message)
    {
        Blocked.Add(commandLine);
        Told.Add(message);
        return Task.CompletedTask;
    }
}
