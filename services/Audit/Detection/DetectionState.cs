using System.Collections.Immutable;

namespace Gatehouse.Audit.Detection;

/// <summary>One event counted in a sliding window: when, which, and what is counted distinct (a user, a target).</summary>
public sealed record WindowHit(DateTimeOffset At, Guid EventId, string Value);

/// <summary>What the rules remember about a user: where they logged in from and when last.</summary>
public sealed record UserActivity(ImmutableHashSet<string> KnownSources, DateTimeOffset? LastLogin);

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
    public static readonly DetectionState Empty = new(0, ImmutableDictionary<string, ImmutableList<WindowHit>>.Empty,
        ImmutableDictionary<string, DateTimeOffset>.Empty, ImmutableDictionary<string, UserActivity>.Empty);
}
