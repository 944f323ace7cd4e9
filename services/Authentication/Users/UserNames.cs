using System.Text.RegularExpressions;

namespace Gatehouse.Authentication.Users;

/// <summary>
/// User names as the SSH gateway sees them: lower-case POSIX-like names, so the same person cannot exist twice
/// under names that differ only in case.
/// </summary>
public static partial class UserNames
{
    public const int MaxLength = 32;

    public static string Normalise(string? name) => (name ?? "").Trim().ToLowerInvariant();

    public static bool IsValid(string name) => name.Length <= MaxLength && Pattern().IsMatch(name);

    public static string? Validate(string? name)
    {
        var normalised = Normalise(name);
        return normalised.Length == 0 ? "User name is required."
            : normalised.Length > MaxLength ? $"User name is longer than {MaxLength} characters."
            : !Pattern().IsMatch(normalised) ? "User name must start with a letter or '_' and contain only a-z, 0-9, '.', '_' and '-'."
            : null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9._-]*$")]
    private static partial Regex Pattern();
}
