using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;
using MassTransit;

namespace Gatehouse.Authorization.Roles.ChangingMembers;

/// <summary>
/// Adds or removes a member; adding a member twice or removing a non-member changes nothing and records nothing. Only a
/// user who exists can be added.
/// </summary>
public static class ChangeRoleMembers
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPut("/roles/{role}/members/{user}", (string role, string user, ApiCaller caller, IDocumentSession session,
            AccessIndexCache index, KnownUsers users, CancellationToken cancellationToken) =>
            Handle(caller, role, user, users, session, index, cancellationToken));
        admin.MapDelete("/roles/{role}/members/{user}", (string role, string user, ApiCaller caller, IDocumentSession session,
            AccessIndexCache index, CancellationToken cancellationToken) =>
            Handle(caller, role, user, null, session, index, cancellationToken));
    }

    /// <summary>The change <paramref name="add"/> (or removing) <paramref name="user"/> makes to the role: none when it is already as asked.</summary>
    public static IAccessEvent? Decide(Role role, string user, bool add, ApiCaller caller, Guid eventId) => (add, role.Members.Contains(user)) switch
    {
        (true, false) => new RoleMemberAdded(role.Id, role.Name, user, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now),
        (false, true) => new RoleMemberRemoved(role.Id, role.Name, user, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now),
        _ => null,
    };

    /// <param name="adding">Set when adding: a member must be a user Authentication knows, or the membership would lie dormant.</param>
    private static async Task<IResult> Handle(ApiCaller caller, string roleName, string userName, KnownUsers? adding,
        IDocumentSession session, AccessIndexCache index, CancellationToken cancellationToken)
    {
        var add = adding is not null;
        var errors = new InputErrors();
        var user = errors.Required("user", userName, 100);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var name = TargetNames.Normalise(roleName);
        var found = await session.Query<Role>().FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (found is null)
        {
            return ApiProblems.NotFound($"There is no role named {roleName}");
        }

        if (adding is not null)
        {
            try
            {
                if (await adding.FindAsync(user, cancellationToken) is not { } known)
                {
                    errors.Add("user", KnownUsers.NotFound(user));
                    return errors.ToResult();
                }

                user = known;
            }
            catch (RequestTimeoutException)
            {
                return KnownUsers.Unanswered(user);
            }
        }

        switch (await session.GetAndUpdateAsync<Role>(found.Id, role => Decide(role, user, add, caller, caller.NewEventId()), cancellationToken))
        {
            case StreamUpdate.NotFound:
                return ApiProblems.NotFound($"There is no role named {roleName}");
            case StreamUpdate.Conflict:
                return ApiProblems.Conflict($"Role {found.Name} changed meanwhile; try again");
            case StreamUpdate.Saved:
                await index.CatchUpAfterChangeAsync(cancellationToken);
                break;
        }

        return Results.Ok(await session.LoadAsync<Role>(found.Id, cancellationToken));
    }
}
