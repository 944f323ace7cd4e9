using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Shell;

/// <summary>
/// A session's command rules, applied to a reading of a line. Pure: the same reading and rules give the same verdict.
/// <list type="number">
/// <item>A deny or approval rule blocks the line when it matches any simple command in it (semantically, after
/// wrappers and the program's path are resolved; as text on the normalised command) or, as text, the line as typed.</item>
/// <item>With any deny or approval rule, a line the gateway cannot fully read is refused: an unknowable word, an
/// incomplete line, a command a rule might match depending on a word only known when it runs, and a program that runs
/// input the gateway cannot read (a script file, a shell reading its input, eval, source) unless an allow rule
/// matches that command.</item>
/// </list>
/// A text pattern that cannot be evaluated in time counts as a match: the check fails closed.
/// </summary>
public sealed class CommandPolicySet
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private readonly List<CompiledRule> _restricting;
    private readonly List<CompiledRule> _allowing;

    public CommandPolicySet(IEnumerable<CommandRule> rules)
    {
        var compiled = rules.Select(Compile).ToList();
        _restricting = compiled.Where(r => r.Rule.Action != CommandRuleAction.Allow).ToList();
        _allowing = compiled.Where(r => r.Rule.Action == CommandRuleAction.Allow).ToList();
    }

    /// <summary>Whether any rule restricts commands: only then is what cannot be known refused.</summary>
    public bool HasRestrictingRules => _restricting.Count > 0;

    /// <summary>Why a pattern is not valid for its form, or null when it is: for the API that stores rules.</summary>
    public static string? Validate(string pattern, CommandRuleForm form)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "the pattern is empty";
        }

        if (pattern.Length > 1000)
        {
            return "the pattern is longer than 1000 characters";
        }

        try
        {
            if (form == CommandRuleForm.Command)
            {
                return CommandPattern.Parse(pattern).Error;
            }

            _ = NewRegex(form == CommandRuleForm.Glob ? GlobToRegex(pattern) : pattern);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"'{pattern}' is not a valid {form.ToString().ToLowerInvariant()} pattern: {ex.Message}";
        }
    }

    /// <summary>A glob as a regular expression over a whole line or command: <c>*</c> any run of characters, <c>?</c> one.</summary>
    public static string GlobToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        foreach (var c in glob)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return regex.Append('$').ToString();
    }

    public LineVerdict Evaluate(ShellReading reading)
    {
        if (_restricting.Count == 0)
        {
            return LineAllowed.Instance;
        }

        foreach (var command in reading.Commands)
        {
            foreach (var rule in _restricting)
            {
                if (rule.TextMatches(command) || rule.Semantic?.Matches(command) == Fit.Yes)
                {
                    return new LineBlocked(rule.Rule, command);
                }
            }
        }

        foreach (var rule in _restricting)
        {
            if (rule.Text is not null && Matches(rule.Text, reading.Line.Trim()))
            {
                return new LineBlocked(rule.Rule, null);
            }
        }

        if (reading.Incomplete is { } incomplete)
        {
            return new LineRefused($"the shell would wait for more input ({incomplete}), and the gateway checks a command only whole, on one line", null);
        }

        if (reading.Unknowables.Count > 0)
        {
            return new LineRefused(reading.Unknowables[0], null);
        }

        foreach (var command in reading.Commands)
        {
            foreach (var rule in _restricting)
            {
                if (rule.Semantic?.Matches(command) == Fit.Maybe)
                {
                    return new LineRefused(
                        $"'{command.Normalized}' has a word only known when it runs, which could make policy '{rule.Rule.Name}' apply", command);
                }
            }
        }

        foreach (var command in reading.Commands.Where(c => c.RunsUncheckedInput is not null))
        {
            if (!_allowing.Any(rule => rule.TextMatches(command) || rule.Semantic?.Matches(command) == Fit.Yes))
            {
                return new LineRefused(command.RunsUncheckedInput!, command);
            }
        }

        return LineAllowed.Instance;
    }

    private static CompiledRule Compile(CommandRule rule)
    {
        if (Validate(rule.Pattern, rule.Form) is not null)
        {
            // A rule that cannot be read fails closed: a deny matches everything (better to refuse than to let its
            // commands through), an allow matches nothing (it must not open up what it cannot name).
            return rule.Action == CommandRuleAction.Allow
                ? new CompiledRule(rule, null, null)
                : new CompiledRule(rule, new Regex("", RegexOptions.None, MatchTimeout), null);
        }

        return rule.Form switch
        {
            CommandRuleForm.Command => new CompiledRule(rule, null, CommandPattern.Parse(rule.Pattern).Pattern),
            CommandRuleForm.Glob => new CompiledRule(rule, NewRegex(GlobToRegex(rule.Pattern)), CommandPattern.FromGlob(rule.Pattern)),
            _ => new CompiledRule(rule, NewRegex(rule.Pattern), null),
        };
    }

    private static Regex NewRegex(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private sealed record CompiledRule(CommandRule Rule, Regex? Text, CommandPattern? Semantic)
    {
        /// <summary>The text pattern against the normalised command, with the program's name and as it was given.</summary>
        public bool TextMatches(SimpleCommand command)
        {
            if (Text is null)
            {
                return false;
            }

            if (Matches(Text, command.Normalized))
            {
                return true;
            }

            var program = command.Program.Value!;
            return program != command.Name && Matches(Text, command.Arguments.Count == 0 ? program : program + " " + string.Join(' ', command.Arguments));
        }
    }
}
