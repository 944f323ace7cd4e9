using System.Text.RegularExpressions;

namespace Gatehouse.Shell;

internal enum Fit
{
    No,

    /// <summary>The known words do not match, but a word only known when it runs could make them.</summary>
    Maybe,
    Yes,
}

/// <summary>
/// A semantic rule: a program and what it must be given, matched on the normalised command whatever the spelling:
/// <c>rm -r -f</c> (also <c>-fr</c>, <c>-R --force</c>), <c>chmod u+s</c> (also 4755, <c>+s</c>), <c>rm -r /etc</c>
/// (an operand under /etc), <c>git push --force</c> (a literal operand and a long option).
/// </summary>
internal sealed class CommandPattern
{
    private readonly string _program;
    private readonly HashSet<string> _options = [];
    private readonly List<Regex> _operands = [];
    private readonly List<string> _paths = [];
    private bool _exactPaths;
    private int _modeBits;

    private CommandPattern(string program) => _program = program;

    /// <summary>The pattern, or an error saying why it is not one.</summary>
    public static (CommandPattern? Pattern, string? Error) Parse(string text)
    {
        var words = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return (null, "the pattern is empty");
        }

        var program = SimpleCommand.ProgramName(words[0]);
        if (program.Length == 0 || program.IndexOfAny(['*', '?', '[', '\'', '"', '$', '`']) >= 0)
        {
            return (null, $"'{words[0]}' is not a program name");
        }

        var pattern = new CommandPattern(program);
        foreach (var word in words.Skip(1))
        {
            if (word is "*" or "--")
            {
                continue;
            }

            if (ChmodModes.IsChmod(program) && ChmodModes.Requested(word) is > 0 and var bits)
            {
                pattern._modeBits |= bits;
            }
            else if (word.StartsWith('-') && word.Length > 1)
            {
                foreach (var option in OptionTables.Canonical(program, word))
                {
                    pattern._options.Add(option);
                }
            }
            else if (word.StartsWith('/'))
            {
                pattern._paths.Add(Paths.Normalize(word.TrimEnd('*')));
            }
            else
            {
                pattern._operands.Add(new Regex("^" + Regex.Escape(word).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
                    RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
            }
        }

        return (pattern, null);
    }

    /// <summary>
    /// The semantic reading of a glob made of a program, options and operands with no wildcard, except a last word
    /// <c>*</c> (any further arguments) or <c>/path/*</c> (an operand under /path): <c>rm -rf *</c> is "rm with -r and
    /// -f", <c>rm -rf /etc/*</c> adds "an operand under /etc", and <c>rm -rf /</c> "an operand that is /" (a glob
    /// without a trailing <c>*</c> names its operands exactly). Any other glob is text only (null).
    /// </summary>
    public static CommandPattern? FromGlob(string glob)
    {
        var words = glob.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }

        var last = words[^1];
        var openEnded = words.Length > 1 && (last == "*" || (last.StartsWith('/') && last.EndsWith("/*")));
        var literal = openEnded ? words[..^1] : words;
        if (literal.Any(w => w.IndexOfAny(['*', '?', '[']) >= 0) || (openEnded && last.IndexOfAny(['*', '?', '['], 0, last.Length - 1) >= 0))
        {
            return null;
        }

        var pattern = Parse(glob).Pattern;
        if (pattern is not null && !openEnded)
        {
            pattern._exactPaths = true;
        }

        return pattern;
    }

    public string Program => _program;

    public Fit Matches(SimpleCommand command)
    {
        if (command.Name != _program)
        {
            return Fit.No;
        }

        var arguments = ParsedArguments.Of(_program, command);
        var result = Fit.Yes;
        foreach (var option in _options)
        {
            result = Weakest(result, HasOption(arguments, option) ? Fit.Yes : arguments.MayHaveMoreOptions ? Fit.Maybe : Fit.No);
        }

        foreach (var operand in _operands)
        {
            result = Weakest(result, arguments.Operands.Any(o => o.IsKnown && operand.IsMatch(o.Value!))
                ? Fit.Yes
                : arguments.MayHaveMoreOperands ? Fit.Maybe : Fit.No);
        }

        if (_modeBits != 0)
        {
            result = Weakest(result, ChmodModes.Sets(arguments, _modeBits));
        }

        foreach (var prefix in _paths)
        {
            var operands = ChmodModes.IsChmod(_program) ? arguments.Operands.Skip(1) : arguments.Operands;
            var best = arguments.TakesUnknownArguments ? Fit.Maybe : Fit.No;
            foreach (var operand in operands)
            {
                best = Strongest(best, _exactPaths ? Paths.Exactly(operand, prefix) : Paths.Under(operand, prefix));
            }

            result = Weakest(result, best);
        }

        return result;
    }

    /// <summary>
    /// The option as required, or for a long option of a program without a table, any prefix of it that names it
    /// (getopt_long and git take unambiguous prefixes: <c>--forc</c> is <c>--force</c>).
    /// </summary>
    private static bool HasOption(ParsedArguments arguments, string option) =>
        arguments.Options.Contains(option)
        || (option.StartsWith("--") && arguments.Options.Any(o => o.Length > 2 && o.StartsWith("--") && option.StartsWith(o, StringComparison.Ordinal)));

    private static Fit Weakest(Fit a, Fit b) => a < b ? a : b;

    private static Fit Strongest(Fit a, Fit b) => a > b ? a : b;
}

/// <summary>A command's options (canonical spellings) and operands, read the way GNU getopt reads them.</summary>
internal sealed record ParsedArguments(HashSet<string> Options, List<ShellWord> Operands, bool MayHaveMoreOptions, bool MayHaveMoreOperands,
    bool TakesUnknownArguments)
{
    /// <summary>The argument each canonical option was given (the last, when given more than once), for the options that take one.</summary>
    public Dictionary<string, string> Values { get; } = [];

    public static ParsedArguments Of(string program, SimpleCommand command)
    {
        var options = new HashSet<string>();
        var values = new Dictionary<string, string>();
        var operands = new List<ShellWord>();
        var mayHaveMoreOptions = command.TakesUnknownArguments;
        var endOfOptions = false;
        var arguments = command.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i];
            if (endOfOptions)
            {
                operands.Add(word);
                continue;
            }

            if (!word.IsKnown)
            {
                mayHaveMoreOptions |= word.MayStartWithDash;
                operands.Add(word);
                continue;
            }

            var value = word.Value!;
            if (value == "--")
            {
                endOfOptions = true;
                continue;
            }

            if (value.Length < 2 || value[0] != '-' || (ChmodModes.IsChmod(program) && ChmodModes.IsSymbolic(value)))
            {
                operands.Add(word);
                endOfOptions = OptionTables.StopsAtOperand(program);
                continue;
            }

            var canonical = OptionTables.Canonical(program, value).ToList();
            options.UnionWith(canonical);
            var given = OptionTables.ValueIn(program, value);
            if (OptionTables.TakesArgument(program, value))
            {
                i++;
                given = i < arguments.Count ? arguments[i].ToString() : null;
            }

            if (given is not null && canonical.Count > 0)
            {
                values[canonical[^1]] = given;
            }
        }

        var parsed = new ParsedArguments(options, operands, mayHaveMoreOptions, command.TakesUnknownArguments || operands.Any(o => !o.IsKnown),
            command.TakesUnknownArguments);
        foreach (var (option, given) in values)
        {
            parsed.Values[option] = given;
        }

        return parsed;
    }
}

internal static class Paths
{
    /// <summary>An absolute path with <c>.</c>, <c>..</c> and repeated slashes resolved (no symbolic links: the gateway has no file system).</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>
    /// Whether an operand names exactly <paramref name="path"/>. A relative path could, from the right working
    /// directory; for <c>/</c> only one made of <c>.</c> and <c>..</c> could.
    /// </summary>
    public static Fit Exactly(ShellWord operand, string path)
    {
        if (!operand.IsKnown)
        {
            return Fit.Maybe;
        }

        var value = operand.Value!;
        if (value.StartsWith('/'))
        {
            return Normalize(value) == path ? Fit.Yes : Fit.No;
        }

        if (path == "/")
        {
            return value.Split('/', StringSplitOptions.RemoveEmptyEntries).All(part => part is "." or "..") ? Fit.Maybe : Fit.No;
        }

        return Fit.Maybe;
    }

    /// <summary>Whether an operand names <paramref name="prefix"/> or a path below it; a relative path, a tilde or an expansion could.</summary>
    public static Fit Under(ShellWord operand, string prefix)
    {
        if (prefix == "/")
        {
            return Fit.Yes;
        }

        if (!operand.IsKnown || !operand.Value!.StartsWith('/'))
        {
            return Fit.Maybe;
        }

        var path = Normalize(operand.Value!);
        return path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal) ? Fit.Yes : Fit.No;
    }
}
