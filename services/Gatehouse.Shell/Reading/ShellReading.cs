namespace Gatehouse.Shell;

/// <summary>A command with no program: only assignments (<c>NAME=value</c>) and redirections, in the shell itself.</summary>
public sealed record BareCommand(IReadOnlyList<ShellWord> Assignments, IReadOnlyList<ShellRedirection> Redirections, string Context);

/// <summary>
/// What the shell would do with a line: every simple command it would run, in order (nested ones included), and
/// why any part of it cannot be known before it runs.
/// </summary>
/// <param name="Unknowables">Reasons the gateway cannot know what would run (a program name from a variable, a
/// history expansion, ...): empty when every command is known.</param>
/// <param name="Incomplete">Set when the shell would wait for more input before running anything (an open quote,
/// here-document or <c>if</c>, a trailing <c>|</c> or backslash): the reason.</param>
public sealed record ShellReading(
    string Line,
    IReadOnlyList<SimpleCommand> Commands,
    IReadOnlyList<string> Unknowables,
    string? Incomplete)
{
    /// <summary>Whether the gateway knows exactly which simple commands the line runs.</summary>
    public bool IsKnown => Unknowables.Count == 0 && Incomplete is null;

    /// <summary>
    /// What the line does without starting a program: assignments that stay in the shell (<c>HISTSIZE=0</c>) and
    /// redirections that create or empty a file (<c>&gt; ~/.bash_history</c>). Nothing runs, so no policy judges them;
    /// the Audit service's rules do.
    /// </summary>
    public IReadOnlyList<BareCommand> BareCommands { get; init; } = [];
}
