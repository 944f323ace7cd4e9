namespace Gatehouse.Shell;

/// <summary>
/// What a simple command was given, read the way its program reads its arguments, whatever the spelling: options in
/// their canonical form (<c>rm -fR</c>, <c>rm -r -f</c> and <c>rm --recursive --force</c> all have <c>-r</c> and
/// <c>-f</c>; see <see cref="OptionTables"/>), the argument an option took, the operands, and the set-ID bits of a
/// chmod mode. The same reading the command policies use, for the Audit service's rules.
/// </summary>
public sealed class CommandArguments
{
    private readonly ParsedArguments _parsed;

    private CommandArguments(string program, ParsedArguments parsed)
    {
        Program = program;
        _parsed = parsed;
    }

    public static CommandArguments Of(SimpleCommand command) => new(command.Name, ParsedArguments.Of(command.Name, command));

    /// <summary>The program's file name.</summary>
    public string Program { get; }

    /// <summary>The words that are not options or their arguments, in order.</summary>
    public IReadOnlyList<ShellWord> Operands => _parsed.Operands;

    /// <summary>Whether the command was given the option, in any spelling (<c>"-r"</c>, <c>"--recursive"</c> or an unambiguous prefix).</summary>
    public bool Has(string option) => OptionTables.Canonical(Program, option).Any(canonical => _parsed.Options.Contains(canonical)
        || (canonical.StartsWith("--") && _parsed.Options.Any(o => o.Length > 2 && o.StartsWith("--") && canonical.StartsWith(o, StringComparison.Ordinal))));

    /// <summary>The argument the option was given (<c>auditctl -e0</c>, <c>-e 0</c>: "0"), or null.</summary>
    public string? ValueOf(string option) =>
        OptionTables.Canonical(Program, option).Select(canonical => _parsed.Values.GetValueOrDefault(canonical)).FirstOrDefault(v => v is not null);

    /// <summary>Whether a chmod mode sets the set-user-ID or set-group-ID bit (<c>4755</c>, <c>u+s</c>, <c>+s</c>, <c>g=rxs</c>).</summary>
    public bool SetsUserOrGroupId => ChmodModes.IsChmod(Program) && ChmodModes.Sets(_parsed, ChmodModes.SetUserId | ChmodModes.SetGroupId) == Fit.Yes;

    /// <summary>An absolute path with <c>.</c>, <c>..</c> and repeated slashes resolved, as the policies compare paths.</summary>
    public static string NormalizedPath(string path) => Paths.Normalize(path);
}
