using Gatehouse.Contracts;
using Gatehouse.Shell;

namespace Gatehouse.Authorization.CommandPolicies;

/// <summary>
/// A stored pattern seen through the shell library (Gatehouse.Shell), the one the gateway applies: a pattern is accepted
/// only if the gateway can apply it as stored.
/// </summary>
public static class CommandPatterns
{
    /// <summary>Why <paramref name="pattern"/> is not a valid pattern of its kind, or null when it is.</summary>
    public static string? Problem(string? pattern, CommandPatternKind kind) =>
        pattern is null ? "the pattern is empty" : CommandPolicySet.Validate(pattern, Form(kind));

    /// <summary>
    /// A text pattern as the .NET regular expression it is matched as (a glob matches the whole command line: <c>*</c> any
    /// run of characters, <c>?</c> one character); null for a command pattern, which is not matched as text.
    /// </summary>
    public static string? ToRegex(string pattern, CommandPatternKind kind) => kind switch
    {
        CommandPatternKind.Glob => CommandPolicySet.GlobToRegex(pattern),
        CommandPatternKind.Regex => pattern,
        _ => null,
    };

    public static CommandRuleForm Form(CommandPatternKind kind) => kind switch
    {
        CommandPatternKind.Glob => CommandRuleForm.Glob,
        CommandPatternKind.Regex => CommandRuleForm.Regex,
        CommandPatternKind.Command => CommandRuleForm.Command,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a pattern kind"),
    };
}
