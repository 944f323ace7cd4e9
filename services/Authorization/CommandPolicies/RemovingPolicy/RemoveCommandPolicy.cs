using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authorization.CommandPolicies.RemovingPolicy;

public static class RemoveCommandPolicy
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/command-policies/{name}", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, string name, IDocumentSession session, AccessIndexCache index,
        CancellationToken cancellationToken)
    {
        var normalized = name.Trim().ToLowerInvariant();
        var policy = await session.Query<CommandPolicy>().FirstOrDefaultAsync(p => p.Name == normalized && !p.Removed, cancellationToken);
        if (policy is null)
        {
            return ApiProblems.NotFound($"There is no command policy {name}");
        }

        var now = caller.Now;
        session.AppendAccessEvent(policy.Id, new CommandPolicyRemoved(policy.Id, policy.Name, caller.Name, caller.SourceAddress,
            caller.CorrelationId, EventIds.New(now), now));
        await session.SaveChangesAsync(cancellationToken);
        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.NoContent();
    }
}
