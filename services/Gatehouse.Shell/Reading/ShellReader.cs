namespace Gatehouse.Shell;

/// <summary>
/// Reads a line of POSIX shell or bash the way the shell will run it and lists the simple commands it would start
/// (see the project's README for what it reads and what it calls unknowable). Pure: no I/O, no clock.
/// </summary>
public static class ShellReader
{
    /// <param name="line">The line as the shell receives it.</param>
    /// <param name="inputIsChecked">Whether what the shell's commands read from the terminal passes the gateway as
    /// lines it checks (an interactive session). When false (an exec channel's input), a shell or interpreter reading
    /// its input runs text the gateway never sees.</param>
    public static ShellReading Read(string line, bool inputIsChecked = true)
    {
        ArgumentNullException.ThrowIfNull(line);
        var output = new ReadingOutput();
        if (line.TrimStart().StartsWith('^'))
        {
            output.Unknown("quick substitution (^old^new) repeats an earlier command with a change");
        }

        Parser.ReadScript(line, "", 0, output, nested: false, inputIsChecked ? Stdin.Terminal : Stdin.Unknown);
        return new ShellReading(line, output.Commands, output.Unknowables, output.Incomplete) { BareCommands = output.BareCommands };
    }
}

/// <summary>What one reading collects, shared by the nested readers of scripts inside the line.</summary>
internal sealed class ReadingOutput
{
    public List<SimpleCommand> Commands { get; } = [];

    public List<BareCommand> BareCommands { get; } = [];

    public List<string> Unknowables { get; } = [];

    public string? Incomplete { get; private set; }

    public void Unknown(string reason)
    {
        if (!Unknowables.Contains(reason))
        {
            Unknowables.Add(reason);
        }
    }

    public void Open(string reason) => Incomplete ??= reason;
}
