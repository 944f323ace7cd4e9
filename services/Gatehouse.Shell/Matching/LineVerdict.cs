namespace Gatehouse.Shell;

/// <summary>What the gateway does with a line under a session's command rules.</summary>
public abstract record LineVerdict
{
    /// <summary>The one line the user is shown when the line is not run; empty when it runs.</summary>
    public abstract string Explain(string line);
}

/// <summary>Every command in the line is known and none is denied.</summary>
public sealed record LineAllowed : LineVerdict
{
    public static readonly LineAllowed Instance = new();

    public override string Explain(string line) => "";
}

/// <summary>A deny (or approval) rule matched <paramref name="Command"/>, or the line as typed when it is null.</summary>
public sealed record LineBlocked(CommandRule Rule, SimpleCommand? Command) : LineVerdict
{
    public override string Explain(string line)
    {
        var what = Command is null ? line.Trim() : Command.Normalized;
        return Rule.Action == CommandRuleAction.RequireApproval
            ? $"gatehouse: '{what}' needs approval under policy '{Rule.Name}' and was not run"
            : $"gatehouse: '{what}' is blocked by policy '{Rule.Name}' and was not run";
    }
}

/// <summary>
/// The gateway cannot know what the line would run (or a program in it runs input the gateway cannot read), and the
/// session has a deny rule: refused, not guessed. <paramref name="Reason"/> says why, for the user.
/// </summary>
public sealed record LineRefused(string Reason, SimpleCommand? Command) : LineVerdict
{
    public override string Explain(string line) =>
        $"gatehouse: not run: {Reason}. Under this session's command policies only commands the gateway can read run: type it out plainly";
}
