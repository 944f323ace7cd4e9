using System.Collections.Immutable;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Detection;

/// <summary>One event counted in a sliding window: when, which, and what is counted distinct (a user, a target).</summary>
public sealed record WindowHit(DateTimeOffset At, Guid EventId, string Value);

/// <summary>What the rules remember about a user: where they logged in from and when last.</summary>
public sealed record UserActivity(ImmutableHashSet<string> KnownSources, DateTimeOffset? LastLogin);

/// <summary>What a grant gives access to, as self-approval needs it: whom it covers and which targets, by name or by labels.</summary>
public sealed record GrantScope(GrantSubjectKind SubjectKind, string Subject, ImmutableList<string> TargetNames,
    ImmutableDictionary<string, string> TargetLabels, DateTimeOffset? ExpiresAt)
{
    public bool Covers(string target, IReadOnlyDictionary<string, string>? labels) =>
        TargetNames.Contains(target)
        || (TargetLabels.Count > 0 && labels is not null && TargetLabels.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value));

    public bool LiveAt(DateTimeOffset at) => ExpiresAt is not { } expires || expires > at;
}

/// <summary>
/// Everything the rules remember between events: sliding windows per rule and subject, the last time each
/// deduplication key was raised, and each user's known sources. <see cref="LastSequence"/> is the last stored
/// event applied, so a replayed page changes nothing.
/// </summary>
public sealed record DetectionState(
    long LastSequence,
    ImmutableDictionary<string, ImmutableList<WindowHit>> Windows,
    ImmutableDictionary<string, DateTimeOffset> LastRaised,
    ImmutableDictionary<string, UserActivity> Users)
{
    // Who may reach what, followed from Authorization's events, so that access gained through one's own change is seen
    // (self-approval through a role or a label). Properties, not positional, so a checkpoint stored before them still reads.

    /// <summary>The members of each target-access role.</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> RoleMembers { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

    /// <summary>The grants to users and roles in force, by grant id.</summary>
    public ImmutableDictionary<string, GrantScope> Grants { get; init; } = ImmutableDictionary<string, GrantScope>.Empty;

    /// <summary>Each target's labels, by target name.</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> TargetLabels { get; init; } =
        ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;

    /// <summary>Each Gatehouse user's API roles (admin, approver, ...), from Authentication's events.</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> ApiRoles { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

    /// <summary>The API roles each user gave themselves and still holds (until another administrator sets their roles).</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> SelfGivenRoles { get; init; } =
        ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

    public static readonly DetectionState Empty = new(0, ImmutableDictionary<string, ImmutableList<WindowHit>>.Empty,
        ImmutableDictionary<string, DateTimeOffset>.Empty, ImmutableDictionary<string, UserActivity>.Empty);
}
