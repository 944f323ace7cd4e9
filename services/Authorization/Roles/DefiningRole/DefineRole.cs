using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authorization.Roles.DefiningRole;

public sealed record DefineRoleRequest(string? Name, string? Description);

public static class DefineRole
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/roles", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, DefineRoleRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var name = errors.RoleName("name", body.Name);
        var description = body.Description?.Trim() ?? "";
        if (description.Length > 500)
        {
            errors.Add("description", "is longer than 500 characters");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var now = caller.Now;
        var defined = new RoleDefined(Guid.NewGuid(), name, description, caller.Name, caller.SourceAddress, caller.CorrelationId,
            EventIds.New(now), now);
        session.StartStreamWithAccessEvent(defined.RoleId, defined);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return ApiProblems.Conflict($"A role named {name} is already defined");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.Created($"/api/roles/{name}", Role.Create(defined));
    }
}
