using System.Net;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.Vocabulary;

namespace Gatehouse.Authorization.Decisions;

/// <summary>
/// Who may reach what: default deny. Among the grants that cover the target, the first that passes every check allows;
/// when none does, the refusal reports the grant that came closest (checks run revoked, expired, login, source,
/// time window, MFA), so the reason names the one thing standing in the way. A user no grant covers is told only that,
/// whether the target or the login exists or not, so refusals cannot map what exists; the recorded event keeps the precise reason.
/// A grant to an access role covers its members only; the API roles the request carries reach only grants that name an API role.
/// </summary>
public static class AccessDecider
{
    public static AccessVerdict Decide(CheckAccess request, AccessIndex index, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            return AccessRefusedFor.NotCovered(AccessDenialReason.NoMatchingGrant, "the request names no user");
        }

        if (index.DisabledUser(request.UserName) is { } disabled)
        {
            return new AccessRefusedFor(AccessDenialReason.UserDisabled,
                $"user {request.UserName} was {disabled.Change} at {disabled.ChangedAt:u} by {disabled.ChangedBy}");
        }

        // Until a grant of the user covers the target, the user is told the same whatever exists: only the event says which.
        var target = index.FindTarget(TargetNames.Normalise(request.Target));
        if (target is null)
        {
            return AccessRefusedFor.NotCovered(AccessDenialReason.UnknownTarget, $"there is no target named '{request.Target}'");
        }

        var apiRoles = request.ApiRoles ?? [];
        var covering = index.GrantsFor(request.UserName, apiRoles).Where(g => Covers(g, target)).ToList();
        if (covering.Count == 0)
        {
            var accessRoles = index.AccessRolesOf(request.UserName).Select(r => r.Name);
            var grantless = $"no grant to user {request.UserName}, access roles [{string.Join(", ", accessRoles)}] "
                            + $"or API roles [{string.Join(", ", apiRoles)}] covers target {target.Name}";
            return target.Logins.Contains(request.Login)
                ? AccessRefusedFor.NotCovered(AccessDenialReason.NoMatchingGrant, grantless)
                : AccessRefusedFor.NotCovered(AccessDenialReason.UnknownLogin, $"target {target.Name} has no login '{request.Login}'; {grantless}");
        }

        if (!target.Logins.Contains(request.Login))
        {
            // The user's grants to this target list the logins they allow: saying this one is not among them reveals nothing
            // more, while the target's own logins are not listed.
            return new AccessRefusedFor(AccessDenialReason.UnknownLogin, $"target {target.Name} has no login '{request.Login}'",
                $"no grant of yours allows login {request.Login} on {target.Name}");
        }

        IPAddress.TryParse(request.SourceAddress, out var source);
        AccessRefusedFor? closest = null;
        var closestStage = -1;
        foreach (var grant in covering)
        {
            var (stage, refusal) = Check(grant, request, source, now);
            if (refusal is null)
            {
                return new AccessAllowedBy(grant, target);
            }

            if (stage > closestStage)
            {
                (closest, closestStage) = (refusal, stage);
            }
        }

        return closest!;
    }

    public static bool Covers(Grant grant, Target target) =>
        grant.TargetNames.Contains(target.Name)
        || (grant.TargetLabels.Count > 0 && target.HasLabels(grant.TargetLabels));

    private static (int Stage, AccessRefusedFor? Refusal) Check(Grant grant, CheckAccess request, IPAddress? source, DateTimeOffset now)
    {
        if (grant.IsRevoked)
        {
            return (0, new AccessRefusedFor(AccessDenialReason.GrantRevoked,
                $"{grant.Describe()} was revoked at {grant.RevokedAt:u} by {grant.RevokedBy}: {grant.RevocationReason}"));
        }

        if (grant.IsExpiredAt(now))
        {
            return (1, new AccessRefusedFor(AccessDenialReason.GrantExpired, $"{grant.Describe()} expired at {grant.ExpiresAt:u}"));
        }

        if (!grant.AllowsLogin(request.Login))
        {
            return (2, new AccessRefusedFor(AccessDenialReason.LoginNotAllowed,
                $"{grant.Describe()} allows logins {string.Join(", ", grant.Logins)}, not {request.Login}"));
        }

        if (grant.SourceCidrs.Count > 0 && !FromAllowedSource(grant, source))
        {
            return (3, new AccessRefusedFor(AccessDenialReason.SourceNotAllowed, source is null
                ? $"{grant.Describe()} allows only sources in {string.Join(", ", grant.SourceCidrs)} and the source address is unknown"
                : $"source {source} is outside {string.Join(", ", grant.SourceCidrs)} allowed by {grant.Describe()}"));
        }

        if (grant.TimeWindows.Count > 0 && !grant.TimeWindows.Any(w => TimeWindows.IsOpen(w, now)))
        {
            var first = grant.TimeWindows[0];
            return (4, new AccessRefusedFor(AccessDenialReason.OutsideTimeWindow,
                $"it is {TimeWindows.LocalTime(first.TimeZone, now)} in {first.TimeZone}; {grant.Describe()} allows only "
                + string.Join("; ", grant.TimeWindows.Select(TimeWindows.Describe))));
        }

        if (grant.MfaRequired && !request.MfaVerified)
        {
            return (5, new AccessRefusedFor(AccessDenialReason.MfaRequired,
                $"{grant.Describe()} requires a second factor and this login did not complete one"));
        }

        return (6, null);
    }

    private static bool FromAllowedSource(Grant grant, IPAddress? source)
    {
        if (source is null)
        {
            return false;
        }

        foreach (var cidr in grant.SourceCidrs)
        {
            if (IPNetwork.TryParse(cidr, out var network) && SourceAddresses.IsIn(source, network))
            {
                return true;
            }
        }

        return false;
    }
}
