namespace Gatehouse.Contracts.Authorization;

/// <summary>One command policy as the gateway applies it.</summary>
/// <param name="Regex">The pattern as a .NET regular expression (a glob already translated and anchored), matched against the command line.</param>
public sealed record SessionCommandPolicy(
    Guid PolicyId,
    string Name,
    string Pattern,
    CommandPatternKind PatternKind,
    string Regex,
    CommandPolicyAction Action);
