namespace Gatehouse.Contracts.Authorization;

/// <summary>One command policy as the gateway applies it.</summary>
/// <param name="Regex">A text pattern as a .NET regular expression (a glob already translated and anchored), matched against the
/// command line; null for a <see cref="CommandPatternKind.Command"/> pattern, which is matched on the commands the line starts,
/// not as text.</param>
public sealed record SessionCommandPolicy(
    Guid PolicyId,
    string Name,
    string Pattern,
    CommandPatternKind PatternKind,
    string? Regex,
    CommandPolicyAction Action);
