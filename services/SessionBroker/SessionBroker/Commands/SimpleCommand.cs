namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// One command the shell would run on its own, as typed (<see cref="Text"/>) and with quoting removed
/// (<see cref="Words"/>), so a policy sees <c>r''m -rf /</c> as <c>rm -rf /</c>.
/// </summary>
public sealed record SimpleCommand(string Text, IReadOnlyList<string> Words)
{
    /// <summary>The words joined by single spaces: what policies match against.</summary>
    public string Normalized => string.Join(' ', Words);
}
