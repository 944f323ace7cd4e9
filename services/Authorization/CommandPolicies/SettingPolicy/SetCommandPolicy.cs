using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Roles;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;
using Marten;

namespace Gatehouse.Authorization.CommandPolicies.SettingPolicy;

public sealed record SetCommandPolicyRequest(
    string? Pattern,
    CommandPatternKind? PatternKind,
    CommandPolicyAction? Action,
    Dictionary<string, string>? TargetLabels,
    string[]? Roles,
    string[]? ApiRoles);

/// <summary>
/// Creates the named command policy, or replaces it (also one that was removed). <c>roles</c> are access roles, <c>apiRoles</c>
/// API roles: an API role's name given as an access role that does not exist is refused, since it would cover nobody.
/// </summary>
public static class SetCommandPolicy
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/command-policies/{name}", Handle);

    public static CommandPolicyChanged? Validate(string name, SetCommandPolicyRequest body, IReadOnlyCollection<string> accessRoles,
        InputErrors errors, Guid policyId, ApiCaller actor, Guid eventId, DateTimeOffset now)
    {
        var policyName = errors.TargetName("name", name);
        var kind = body.PatternKind ?? CommandPatternKind.Glob;
        // The JSON reader also takes an enum's number, so a number no member has would otherwise get this far.
        if (!Enum.IsDefined(kind))
        {
            errors.Add("patternKind", $"must be one of {string.Join(", ", Enum.GetNames<CommandPatternKind>())}");
        }
        else if (CommandPatterns.Problem(body.Pattern, kind) is { } patternError)
        {
            errors.Add("pattern", patternError);
        }

        if (body.Action is not { } action || !Enum.IsDefined(action))
        {
            errors.Add("action", $"must be one of {string.Join(", ", Enum.GetNames<CommandPolicyAction>())}");
        }

        var labels = errors.Labels("targetLabels", body.TargetLabels);
        var roles = (body.Roles ?? []).Select(r => errors.Required("roles", r, 100)).Distinct().ToList();
        foreach (var role in roles.Where(r => !accessRoles.Contains(r) && GatehousePolicies.Roles.Contains(r)))
        {
            errors.Add("roles", $"there is no access role named '{role}'; {role} is an API role: give it in apiRoles (--api-role)");
        }

        var apiRoles = (body.ApiRoles ?? []).Distinct().ToList();
        foreach (var role in apiRoles.Where(r => !GatehousePolicies.Roles.Contains(r)))
        {
            errors.Add("apiRoles", $"'{role}' is not an API role: name one of {string.Join(", ", GatehousePolicies.Roles)}");
        }

        return errors.Any
            ? null
            : new CommandPolicyChanged(policyId, policyName, body.Pattern!, kind, body.Action!.Value, labels, roles, apiRoles,
                actor.Name, actor.SourceAddress, actor.CorrelationId, eventId, now);
    }

    private static async Task<IResult> Handle(ApiCaller caller, string name, SetCommandPolicyRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var normalized = name.Trim().ToLowerInvariant();
        var existing = await session.Query<CommandPolicy>().FirstOrDefaultAsync(p => p.Name == normalized, cancellationToken);
        var accessRoles = await RolesBeforeTheSplit.AccessRoleNamesAsync(session, cancellationToken);
        var errors = new InputErrors();
        var now = caller.Now;
        var changed = Validate(normalized, body, accessRoles, errors, existing?.Id ?? Guid.NewGuid(), caller, EventIds.New(now), now);
        if (changed is null)
        {
            return errors.ToResult();
        }

        if (existing is null)
        {
            session.StartStreamWithAccessEvent(changed.PolicyId, changed);
        }
        else
        {
            session.AppendAccessEvent(changed.PolicyId, changed);
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return ApiProblems.Conflict($"Command policy {normalized} changed meanwhile; try again");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.Ok(await session.LoadAsync<CommandPolicy>(changed.PolicyId, cancellationToken));
    }
}
