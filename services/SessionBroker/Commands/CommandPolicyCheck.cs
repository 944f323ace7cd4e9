using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.Shell;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Why a line was not run: the simple command it was stopped at, the policy that stopped it (null when it was refused
/// because the gateway cannot know what it would run), and the one line the user is shown.
/// </summary>
public sealed record CommandViolation(SimpleCommand Command, SessionCommandPolicy? Policy, string Message);

/// <summary>
/// Applies a session's command policies to a command line before it reaches the target, through the shell reader
/// (Gatehouse.Shell): the line runs only if the gateway knows every simple command it would run and none is denied.
/// A policy's pattern is matched as text on the line as typed and on each normalised command, and a glob that names a
/// program and its options (<c>rm -rf *</c>) also semantically (<c>rm -fr</c>, <c>sudo rm -r -f</c>). With any
/// policy, what cannot be known is refused; a pattern that cannot be evaluated in time counts as a match.
/// </summary>
public sealed class CommandPolicyCheck
{
    private readonly List<(CommandRule Rule, SessionCommandPolicy Policy)> _rules;
    private readonly CommandPolicySet _set;

    public CommandPolicyCheck(IEnumerable<SessionCommandPolicy> policies)
    {
        // An action this gateway does not know restricts (deny), so a newer Authorization cannot open it up by accident.
        _rules = policies.Select(p => (Rule: new CommandRule(p.Name, p.Pattern,
                p.PatternKind switch
                {
                    CommandPatternKind.Glob => CommandRuleForm.Glob,
                    CommandPatternKind.Command => CommandRuleForm.Command,
                    _ => CommandRuleForm.Regex,
                },
                p.Action switch
                {
                    CommandPolicyAction.Allow => CommandRuleAction.Allow,
                    CommandPolicyAction.RequireApproval => CommandRuleAction.RequireApproval,
                    _ => CommandRuleAction.Deny,
                }), Policy: p))
            .ToList();
        _set = new CommandPolicySet(_rules.Select(r => r.Rule));
    }

    /// <summary>Whether any policy restricts commands (allow policies alone restrict nothing): only then is the session governed.</summary>
    public bool HasPolicies => _set.HasRestrictingRules;

    /// <summary>Why <paramref name="line"/> may not run, or null when every command in it may.</summary>
    /// <param name="inputIsChecked">False for a command whose input the gateway does not read line by line (an exec
    /// channel): then a shell started by it, reading that input, is refused too.</param>
    public CommandViolation? Check(string line, bool inputIsChecked = true)
    {
        if (_rules.Count == 0)
        {
            return null;
        }

        return Check(ShellReader.Read(line, inputIsChecked), line);
    }

    /// <summary>Why a line already read may not run, or null when every command in it may: the session reads a line once,
    /// for this check and for its record.</summary>
    public CommandViolation? Check(ShellReading reading, string line)
    {
        if (_rules.Count == 0)
        {
            return null;
        }

        return _set.Evaluate(reading) switch
        {
            LineBlocked blocked => new CommandViolation(Recorded(blocked.Command, line),
                _rules.First(r => ReferenceEquals(r.Rule, blocked.Rule)).Policy, blocked.Explain(line)),
            LineRefused refused => new CommandViolation(Recorded(refused.Command, line), null, refused.Explain(line)),
            _ => null,
        };
    }

    /// <summary>
    /// Whether an exec's <paramref name="command"/> starts a shell or another program that runs commands read from its
    /// input (<c>bash</c>, <c>bash -i</c>, <c>sudo -i</c>, <c>su -</c>): its input then has to be read line by line like a
    /// shell session's, since it is commands. Asked of the reader: the command runs unchecked input only while that
    /// input is not checked.
    /// </summary>
    public static bool ReadsCommandsFromInput(string command) =>
        UncheckedPrograms(ShellReader.Read(command, inputIsChecked: false)) > UncheckedPrograms(ShellReader.Read(command, inputIsChecked: true));

    /// <summary>The simple commands <paramref name="line"/> starts, as the reader reads them: what the command record carries
    /// next to the line as typed, from the same reading the policies are applied to.</summary>
    public static IReadOnlyList<ShellCommand> Commands(string line, bool inputIsChecked) => Commands(ShellReader.Read(line, inputIsChecked));

    public static IReadOnlyList<ShellCommand> Commands(ShellReading reading) =>
        reading.Commands.Select(c => new ShellCommand(c.Name, c.Arguments.Select(a => a.ToString()).ToList())).ToList();

    private static int UncheckedPrograms(ShellReading reading) => reading.Commands.Count(c => c.RunsUncheckedInput is not null);

    /// <summary>The one line the user is shown when a command is refused.</summary>
    public static string Explain(CommandViolation violation) => violation.Message;

    private static SimpleCommand Recorded(Shell.SimpleCommand? command, string line) => command is null
        ? new SimpleCommand(line.Trim(), [line.Trim()])
        : new SimpleCommand(command.Normalized, [command.Name, .. command.Arguments.Select(a => a.ToString())]);
}
