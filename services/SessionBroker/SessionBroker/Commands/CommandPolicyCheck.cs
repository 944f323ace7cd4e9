using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>The simple command that a policy forbids, and the policy.</summary>
public sealed record CommandViolation(SimpleCommand Command, SessionCommandPolicy Policy);

/// <summary>
/// Applies a session's command policies to a command line before it reaches the target: every simple command in
/// it (see <see cref="ShellCommandSplitter"/>) is matched as typed and with quoting removed, and so is the whole
/// line. A pattern that cannot be evaluated in time counts as a match: the check fails closed.
/// </summary>
public sealed class CommandPolicyCheck
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);
    private readonly IReadOnlyList<(SessionCommandPolicy Policy, Regex Pattern)> _policies;

    public CommandPolicyCheck(IEnumerable<SessionCommandPolicy> policies)
    {
        _policies = policies.Select(p => (p, new Regex(p.Regex, RegexOptions.CultureInvariant, MatchTimeout))).ToList();
    }

    public bool HasPolicies => _policies.Count > 0;

    /// <summary>The first violation in <paramref name="line"/>, or null when every command in it may run.</summary>
    public CommandViolation? Check(string line)
    {
        if (_policies.Count == 0)
        {
            return null;
        }

        var whole = new SimpleCommand(line, [line]);
        foreach (var command in ShellCommandSplitter.Split(line).Append(whole))
        {
            foreach (var (policy, pattern) in _policies)
            {
                if (Matches(pattern, command.Normalized) || Matches(pattern, command.Text.Trim()))
                {
                    return new CommandViolation(command, policy);
                }
            }
        }

        return null;
    }

    /// <summary>The one line the user is shown when a command is refused.</summary>
    public static string Explain(CommandViolation violation) => violation.Policy.Action == CommandPolicyAction.RequireApproval
        ? $"gatehouse: '{violation.Command.Text.Trim()}' needs approval under policy '{violation.Policy.Name}' and was not run"
        : $"gatehouse: '{violation.Command.Text.Trim()}' is blocked by policy '{violation.Policy.Name}' and was not run";

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }
}
