using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.Shell;

namespace Gatehouse.Authorization.CommandPolicies;

public static class CommandPatterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The pattern as a .NET regular expression the gateway can apply, or an error saying why it is not a valid pattern.
    /// A glob matches the whole command line: <c>*</c> any run of characters, <c>?</c> one character.
    /// </summary>
    public static (string? Regex, string? Error) ToRegex(string? pattern, CommandPatternKind kind)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return (null, "the pattern is empty");
        }

        if (pattern.Length > 1000)
        {
            return (null, "the pattern is longer than 1000 characters");
        }

        var regex = kind == CommandPatternKind.Glob ? CommandPolicySet.GlobToRegex(pattern) : pattern;
        try
        {
            _ = new Regex(regex, RegexOptions.CultureInvariant, MatchTimeout);
            return (regex, null);
        }
        catch (ArgumentException ex)
        {
            return (null, $"'{pattern}' is not a valid {kind.ToString().ToLowerInvariant()} pattern: {ex.Message}");
        }
    }
}
