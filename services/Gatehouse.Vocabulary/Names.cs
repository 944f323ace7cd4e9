using System.Text.RegularExpressions;

namespace Gatehouse.Vocabulary;

// One grammar per kind of name, with its longest length beside it. Patterns end in \z, never $: "$" also matches
// before a final "\n", which let "deploy\n" through in one service while the others refused it.

/// <summary>
/// Gatehouse user names: lower-case POSIX-like names, so the same person cannot exist twice under names that differ
/// only in case.
/// </summary>
public static partial class UserNames
{
    public const int MaxLength = 32;

    public const string Rule = "a user name is 1-32 of a-z, 0-9, '.', '_', '-', starting with a letter or '_'";

    /// <summary>
    /// What is stored and compared: lower case, without the spaces a form or a shell may leave around it. Any other
    /// white space (a newline, a tab) stays and makes the name invalid.
    /// </summary>
    public static string Normalise(string? name) => NameCase.Lower((name ?? "").Trim(' '));

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    /// <summary>What is wrong with the name once normalised, for the operator; null when nothing is.</summary>
    public static string? Validate(string? name)
    {
        var normalised = Normalise(name);
        return normalised.Length == 0 ? "User name is required."
            : normalised.Length > MaxLength ? $"User name is longer than {MaxLength} characters."
            : !Pattern().IsMatch(normalised) ? "User name must start with a letter or '_' and contain only a-z, 0-9, '.', '_' and '-'."
            : null;
    }

    [GeneratedRegex(@"^[a-z_][a-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Target names are host-like and compared in lower case, so "Web01" and "web01" are one target. Role names follow them.</summary>
public static partial class TargetNames
{
    public const int MaxLength = 63;

    public const string Rule = "a target name is 1-63 of a-z, 0-9, '.', '_', '-', starting with a letter or digit";

    public static string Normalise(string? name) => NameCase.Lower((name ?? "").Trim(' '));

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>
/// Logins on a target: POSIX user names as useradd accepts them by default. Case matters on the target, so they are
/// never lower-cased: "Deploy" is refused rather than silently changed into another account.
/// </summary>
public static partial class LoginNames
{
    public const int MaxLength = 32;

    public const string Rule = "a login is a POSIX user name: 1-32 of a-z, 0-9, '_', '.', '-', starting with a letter or '_'";

    public static bool IsValid(string? login) => login is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(login);

    [GeneratedRegex(@"^[a-z_][a-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Target labels: key=value pairs whose key and value are each a lower-case word such as env=prod or team/db.</summary>
public static partial class LabelParts
{
    public const int MaxLength = 63;

    public const string Rule = "each 1-63 of a-z, 0-9, '.', '_', '/', '-' starting with a letter or digit";

    public static bool IsValid(string? part) => part is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(part);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Lower case for names, ASCII only.</summary>
public static class NameCase
{
    /// <summary>
    /// A-Z become a-z and nothing else changes: ToLowerInvariant would turn the Kelvin sign into "k" and the dotted
    /// capital I into "i̇", so a look-alike name would pass as another.
    /// </summary>
    public static string Lower(string name) => string.Create(name.Length, name, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        }
    });
}
