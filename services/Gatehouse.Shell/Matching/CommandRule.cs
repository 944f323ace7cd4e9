namespace Gatehouse.Shell;

/// <summary>How a rule's pattern is written.</summary>
public enum CommandRuleForm
{
    /// <summary>Shell-style text: <c>*</c> any run of characters, <c>?</c> one; the whole line or a whole command.</summary>
    Glob,

    /// <summary>A .NET regular expression, matched anywhere in the line or a command unless anchored.</summary>
    Regex,

    /// <summary>A program with the options, operands, modes or path prefixes it must be given (see the README).</summary>
    Command,
}

/// <summary>What happens to a line a rule matches.</summary>
public enum CommandRuleAction
{
    Deny,
    RequireApproval,

    /// <summary>Lets a program that runs input the gateway cannot read (a shell reading a script, eval, source) run anyway.</summary>
    Allow,
}

/// <summary>One command policy as the gateway applies it.</summary>
public sealed record CommandRule(string Name, string Pattern, CommandRuleForm Form, CommandRuleAction Action);
