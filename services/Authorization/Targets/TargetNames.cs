using System.Text.RegularExpressions;

namespace Gatehouse.Authorization.Targets;

/// <summary>Target names are host-like and compared in lower case, so "Web01" and "web01" are one target.</summary>
public static partial class TargetNames
{
    public static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant();

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex ValidName();
}
