namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// One command the shell would run, as the record shows it: <see cref="Text"/> is the program's name and its
/// arguments after quote removal (<c>r''m -rf /</c> is <c>rm -rf /</c>), or the whole line when the line as typed
/// was what matched; <see cref="Words"/> the same split into words.
/// </summary>
public sealed record SimpleCommand(string Text, IReadOnlyList<string> Words)
{
    /// <summary>The words joined by single spaces.</summary>
    public string Normalized => string.Join(' ', Words);
}
