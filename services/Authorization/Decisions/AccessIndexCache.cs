using Gatehouse.Authorization.CommandPolicies;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Roles;
using Gatehouse.Authorization.Targets;
using Gatehouse.Authorization.Users;
using Marten;
using Marten.Linq.LastModified;

namespace Gatehouse.Authorization.Decisions;

/// <summary>
/// This instance's <see cref="AccessIndex"/>, loaded from the Marten documents at start and then caught up with the
/// documents modified since the last load. Catching up re-reads an overlap, because a transaction's modification time is
/// when it started, not when it committed; applying a document twice is harmless. This service's transactions last
/// milliseconds, and the overlap also absorbs clock difference between this host and the database.
/// </summary>
public sealed class AccessIndexCache(IDocumentStore store, ILogger<AccessIndexCache> logger)
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    // Infrastructure bookkeeping runs on the real clock even when tests move the domain's TimeProvider.
    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Guid, Target> _targets = [];
    private readonly Dictionary<Guid, Grant> _grants = [];
    private readonly Dictionary<Guid, CommandPolicy> _policies = [];
    private readonly Dictionary<string, UserStatus> _users = [];
    private readonly Dictionary<Guid, Role> _roles = [];
    private DateTimeOffset? _loadedAt;
    private long _refreshedAtTicks;
    private volatile AccessIndex _current = AccessIndex.Empty;

    public AccessIndex Current => _current;

    public bool IsLoaded => _loadedAt is not null;

    public TimeSpan SinceLastRefresh => Clock.GetElapsedTime(Interlocked.Read(ref _refreshedAtTicks));

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var startedAt = Clock.GetUtcNow();
            await using var session = store.QuerySession();
            var since = _loadedAt - Overlap;
            var targets = await Changed(session.Query<Target>(), since, cancellationToken);
            var grants = await Changed(session.Query<Grant>(), since, cancellationToken);
            var policies = await Changed(session.Query<CommandPolicy>(), since, cancellationToken);
            var users = await Changed(session.Query<UserStatus>(), since, cancellationToken);
            var roles = await Changed(session.Query<Role>(), since, cancellationToken);

            var changed = since is null;
            changed |= Merge(_targets, targets, t => t.Id);
            changed |= Merge(_grants, grants, g => g.Id);
            changed |= Merge(_policies, policies, p => p.Id);
            changed |= Merge(_users, users, u => u.Id);
            changed |= Merge(_roles, roles, r => r.Id);
            if (changed)
            {
                _current = AccessIndex.Build(_targets.Values, _grants.Values, _policies.Values, _users.Values, _roles.Values);
                logger.LogDebug("Access index rebuilt: {Targets} targets, {Grants} grants, {Policies} command policies",
                    _targets.Count, _grants.Count, _policies.Count);
            }

            _loadedAt = startedAt;
            Interlocked.Exchange(ref _refreshedAtTicks, Clock.GetTimestamp());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After this instance stored a change: catch up now so its next decision sees it. The change is stored either way,
    /// so a failure here only delays it to the next catch-up (and decisions re-read the store before allowing).
    /// </summary>
    public async Task CatchUpAfterChangeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not catch the access index up after a change; the periodic catch-up will");
        }
    }

    private static async Task<IReadOnlyList<T>> Changed<T>(IQueryable<T> documents, DateTimeOffset? since, CancellationToken cancellationToken)
        where T : notnull =>
        since is { } from
            ? await documents.Where(d => d.ModifiedSince(from)).ToListAsync(cancellationToken)
            : await documents.ToListAsync(cancellationToken);

    private static bool Merge<TKey, T>(Dictionary<TKey, T> known, IReadOnlyList<T> loaded, Func<T, TKey> id) where TKey : notnull
    {
        foreach (var document in loaded)
        {
            known[id(document)] = document;
        }

        return loaded.Count > 0;
    }
}
