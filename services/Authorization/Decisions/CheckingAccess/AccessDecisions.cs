using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Roles;
using Gatehouse.Authorization.Targets;
using Gatehouse.Authorization.Users;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;

namespace Gatehouse.Authorization.Decisions.CheckingAccess;

/// <summary>
/// Decides a <see cref="CheckAccess"/> on the in-memory index and records the decision as an access event. Fails closed:
/// any error, or a decision that cannot be recorded, is a refusal.
/// </summary>
public sealed class AccessDecisions(AccessIndexCache cache, IDocumentSession session, TimeProvider time, ILogger<AccessDecisions> logger)
{
    public const string Actor = "authorization";

    private static readonly TimeSpan MinCatchUpInterval = TimeSpan.FromMilliseconds(250);

    public async Task<(Guid DecisionId, AccessVerdict Verdict)> DecideAsync(CheckAccess request, CancellationToken cancellationToken)
    {
        // Fields missing on the wire arrive as null; they must refuse cleanly, not fault.
        request = request with
        {
            UserName = request.UserName ?? "",
            ApiRoles = request.ApiRoles ?? [],
            Target = request.Target ?? "",
            Login = request.Login ?? "",
            CorrelationId = request.CorrelationId ?? "",
        };
        var now = time.GetUtcNow();
        var decisionId = Guid.NewGuid();
        AccessVerdict verdict;
        try
        {
            verdict = await DecideOnCurrentGrantsAsync(request, now, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Access decision for {User} on {Target} failed; refusing", request.UserName, request.Target);
            verdict = new AccessRefusedFor(AccessDenialReason.DecisionUnavailable, "the decision could not be made; access is refused");
        }

        try
        {
            session.StartStreamWithAccessEvent(decisionId, ToEvent(request, verdict, decisionId, now));
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Could not record the access decision for {User} on {Target}; refusing", request.UserName, request.Target);
            verdict = new AccessRefusedFor(AccessDenialReason.DecisionUnavailable, "the decision could not be recorded; access is refused");
        }

        return (decisionId, verdict);
    }

    private async Task<AccessVerdict> DecideOnCurrentGrantsAsync(CheckAccess request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!cache.IsLoaded)
        {
            await cache.RefreshAsync(cancellationToken);
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var verdict = AccessDecider.Decide(request, cache.Current, now);
            switch (verdict)
            {
                case AccessRefusedFor when attempt == 0 && cache.SinceLastRefresh > MinCatchUpInterval:
                    // Another instance may have just issued the grant that would allow this.
                    await cache.RefreshAsync(cancellationToken);
                    continue;
                case AccessAllowedBy allowed:
                    // The index may lag a revocation, a changed target or a disabled user recorded by another instance:
                    // the store has the last word, read in one round trip.
                    var batch = session.CreateBatchQuery();
                    var storedGrant = batch.Load<Grant>(allowed.Grant.Id);
                    var storedTarget = batch.Load<Target>(allowed.Target.Id);
                    var storedUser = batch.Load<UserStatus>(request.UserName);
                    // A grant to an access role: the user's membership must still stand.
                    var viaAccessRole = allowed.Grant.SubjectKind == GrantSubjectKind.Role;
                    var accessRole = viaAccessRole
                        ? cache.Current.AccessRolesOf(request.UserName).FirstOrDefault(r => r.Name == allowed.Grant.Subject)
                        : null;
                    var storedRole = accessRole is null ? null : batch.Load<Role>(accessRole.Id);
                    await batch.Execute(cancellationToken);
                    if (await storedGrant is { IsRevoked: false } grant && !grant.IsExpiredAt(now)
                        && await storedTarget is { Removed: false } target && target.Logins.Contains(request.Login)
                        && AccessDecider.Covers(grant, target)
                        && await storedUser is not { Disabled: true }
                        && (!viaAccessRole || (storedRole is not null && (await storedRole)?.Members.Contains(request.UserName) == true)))
                    {
                        return allowed;
                    }

                    await cache.RefreshAsync(cancellationToken);
                    continue;
                default:
                    return verdict;
            }
        }

        return new AccessRefusedFor(AccessDenialReason.DecisionUnavailable, "the grants kept changing while deciding; access is refused");
    }

    private static IAccessEvent ToEvent(CheckAccess request, AccessVerdict verdict, Guid decisionId, DateTimeOffset now) => verdict switch
    {
        AccessAllowedBy allowed => new AccessGranted(request.UserName, allowed.Target.Name, request.Login, allowed.Grant.Id,
            allowed.Grant.MaxSessionLength, allowed.Grant.PortForwardingAllowed, Actor, request.SourceAddress,
            request.CorrelationId, decisionId, now, allowed.Grant.ForwardingDestinations, allowed.Grant.RemoteForwardingPorts),
        AccessRefusedFor refused => new AccessDenied(request.UserName, request.Target, request.Login, refused.Reason, refused.Detail,
            Actor, request.SourceAddress, request.CorrelationId, decisionId, now),
        _ => throw new InvalidOperationException($"Unknown verdict {verdict}"),
    };
}
