using Gatehouse.Contracts;
using Marten.Events.Projections;

namespace Gatehouse.Audit.Soc.Timelines;

public sealed record SourceSeen(string Address, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Logins);

public sealed record LoginRecord(DateTimeOffset At, string? SourceAddress, bool Succeeded, string Detail);

/// <summary>A user's logins and the sources they came from (async: built by the daemon shortly after the events).</summary>
public sealed record UserAccessHistory
{
    public const int RecentLimit = 100;
    public string Id { get; init; } = "";
    public DateTimeOffset? LastLoginAt { get; init; }
    public int SuccessfulLogins { get; init; }
    public int FailedLogins { get; init; }
    public IReadOnlyList<SourceSeen> KnownSources { get; init; } = [];
    public IReadOnlyList<LoginRecord> RecentLogins { get; init; } = [];
}

public sealed class UserAccessHistoryProjection : MultiStreamProjection<UserAccessHistory, string>
{
    public UserAccessHistoryProjection()
    {
        Identity<LoginSucceeded>(e => e.UserName);
        Identity<LoginFailed>(e => e.UserName);
    }

    public UserAccessHistory Apply(LoginSucceeded e, UserAccessHistory history)
    {
        var sources = history.KnownSources.ToList();
        if (e.SourceAddress is { } address)
        {
            var seen = sources.FindIndex(s => s.Address == address);
            if (seen < 0)
            {
                sources.Add(new SourceSeen(address, e.OccurredAt, e.OccurredAt, 1));
            }
            else
            {
                sources[seen] = sources[seen] with { LastSeen = e.OccurredAt, Logins = sources[seen].Logins + 1 };
            }
        }

        return Recent(history with
        {
            Id = e.UserName, LastLoginAt = e.OccurredAt, SuccessfulLogins = history.SuccessfulLogins + 1, KnownSources = sources,
        }, new LoginRecord(e.OccurredAt, e.SourceAddress, true, e.Methods));
    }

    public UserAccessHistory Apply(LoginFailed e, UserAccessHistory history) =>
        Recent(history with { Id = e.UserName, FailedLogins = history.FailedLogins + 1 },
            new LoginRecord(e.OccurredAt, e.SourceAddress, false, e.Reason.ToString()));

    private static UserAccessHistory Recent(UserAccessHistory history, LoginRecord login) =>
        history with { RecentLogins = [.. history.RecentLogins.Prepend(login).OrderByDescending(l => l.At).Take(UserAccessHistory.RecentLimit)] };
}

public sealed record TargetAccess(DateTimeOffset At, string UserName, string Login, string? SourceAddress, string Outcome);

/// <summary>Who reached a target, and who was refused it (async).</summary>
public sealed record TargetAccessHistory
{
    public const int RecentLimit = 100;
    public string Id { get; init; } = "";
    public int Sessions { get; init; }
    public int Denials { get; init; }
    public IReadOnlyList<string> Users { get; init; } = [];
    public IReadOnlyList<TargetAccess> Recent { get; init; } = [];
}

public sealed class TargetAccessHistoryProjection : MultiStreamProjection<TargetAccessHistory, string>
{
    public TargetAccessHistoryProjection()
    {
        Identity<SessionStarted>(e => e.Target);
        Identity<AccessDenied>(e => e.Target);
    }

    public TargetAccessHistory Apply(SessionStarted e, TargetAccessHistory history) =>
        With(history with { Id = e.Target, Sessions = history.Sessions + 1 }, new TargetAccess(e.OccurredAt, e.UserName, e.Login, e.SourceAddress, "session"));

    public TargetAccessHistory Apply(AccessDenied e, TargetAccessHistory history) =>
        With(history with { Id = e.Target, Denials = history.Denials + 1 }, new TargetAccess(e.OccurredAt, e.UserName, e.Login, e.SourceAddress, "denied: " + e.Reason));

    private static TargetAccessHistory With(TargetAccessHistory history, TargetAccess access) => history with
    {
        Users = history.Users.Contains(access.UserName) ? history.Users : [.. history.Users, access.UserName],
        Recent = [.. history.Recent.Prepend(access).OrderByDescending(a => a.At).Take(TargetAccessHistory.RecentLimit)],
    };
}

/// <summary>How many access decisions went each way, by denial reason (async). The id is "Granted" or the reason.</summary>
public sealed record DecisionCount
{
    public string Id { get; init; } = "";
    public long Count { get; init; }
    public DateTimeOffset? Last { get; init; }
}

public sealed class DecisionCountProjection : MultiStreamProjection<DecisionCount, string>
{
    public const string Granted = "Granted";

    public DecisionCountProjection()
    {
        Identity<AccessGranted>(_ => Granted);
        Identity<AccessDenied>(e => e.Reason.ToString());
    }

    public DecisionCount Apply(AccessGranted e, DecisionCount count) => count with { Id = Granted, Count = count.Count + 1, Last = e.OccurredAt };

    public DecisionCount Apply(AccessDenied e, DecisionCount count) => count with { Id = e.Reason.ToString(), Count = count.Count + 1, Last = e.OccurredAt };
}
