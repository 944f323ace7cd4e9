namespace Gatehouse.Shell;

/// <summary>
/// One program the shell (or a wrapper it runs) would start, with its arguments after quote removal and brace
/// expansion. <see cref="Context"/> says where it was found ("" at the top of the line; otherwise e.g.
/// "in command substitution", "run by sudo", "script given to bash -c").
/// </summary>
/// <param name="RunsUncheckedInput">Set when the program runs commands the gateway cannot read (a script file, its
/// own input, text only known at run time): the reason, refused under a deny policy unless a policy allows it.</param>
/// <param name="TakesUnknownArguments">Set when further arguments are appended at run time (xargs, find -exec {} +).</param>
public sealed record SimpleCommand(
    ShellWord Program,
    IReadOnlyList<ShellWord> Arguments,
    string Context,
    string? RunsUncheckedInput = null,
    bool TakesUnknownArguments = false)
{
    /// <summary>The program's file name, without any directory: <c>/bin/rm</c> and <c>./rm</c> are both <c>rm</c>.</summary>
    public string Name => ProgramName(Program.Value ?? Program.Typed);

    /// <summary>The program's file name and its arguments joined by single spaces, what text patterns are applied to.</summary>
    public string Normalized => Arguments.Count == 0 ? Name : Name + " " + string.Join(' ', Arguments);

    /// <summary>The variables assigned for this command (<c>NAME=value</c>), as written before the program.</summary>
    public IReadOnlyList<ShellWord> Assignments { get; init; } = [];

    /// <summary>The command's redirections, in order.</summary>
    public IReadOnlyList<ShellRedirection> Redirections { get; init; } = [];

    internal static string ProgramName(string program)
    {
        var slash = program.TrimEnd('/').LastIndexOf('/');
        return slash < 0 ? program : program[(slash + 1)..];
    }

    public override string ToString() => Context.Length == 0 ? Normalized : $"{Normalized} ({Context})";
}

/// <summary>One redirection: the operator as typed with its descriptor (<c>2&gt;</c>, <c>&lt;&lt;&lt;</c>, <c>&gt;&amp;</c>) and its target.</summary>
public sealed record ShellRedirection(string Operator, ShellWord Target);
