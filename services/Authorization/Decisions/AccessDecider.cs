using System.Net;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Decisions;

/// <summary>
/// Who may reach what: default deny. Among the grants that cover the target, the first that passes every check allows;
/// when none does, the refusal reports the grant that came closest (checks run revoked, expired, login, source,
/// time window, MFA), so the reason names the one thing standing in the way.
/// </summary>
public static class AccessDecider
{
    public static AccessVerdict Decide(CheckAccess request, AccessIndex index, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            return new AccessRefusedFor(AccessDenialReason.NoMatchingGrant, "the request names no user");
        }

        if (index.DisabledUser(request.UserName) is { } disabled)
        {
            return new AccessRefusedFor(AccessDenialReason.UserDisabled,
                $"user {request.UserName} was {disabled.Change} at {disabled.ChangedAt:u} by {disabled.ChangedBy}");
        }

        var target = index.FindTarget(TargetNames.Normalize(request.Target));
        if (target is null)
        {
            return new AccessRefusedFor(AccessDenialReason.UnknownTarget, $"there is no target named '{request.Target}'");
        }

        if (!target.Logins.Contains(request.Login))
        {
            // Not listing the logins it does have: the detail may reach a user who has no grant to this target.
            return new AccessRefusedFor(AccessDenialReason.UnknownLogin, $"target {target.Name} has no login '{request.Login}'");
        }

        IPAddress.TryParse(request.SourceAddress, out var source);
        var roles = index.EffectiveRoles(request.UserName, request.Roles);
        AccessRefusedFor? closest = null;
        var closestStage = -1;
        foreach (var grant in index.GrantsFor(request.UserName, roles).Where(g => Covers(g, target)))
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

        return closest ?? new AccessRefusedFor(AccessDenialReason.NoMatchingGrant,
            $"no grant to user {request.UserName} or roles [{string.Join(", ", roles)}] covers target {target.Name}");
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
