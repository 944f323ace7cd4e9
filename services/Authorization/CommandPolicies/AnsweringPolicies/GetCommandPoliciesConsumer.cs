using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts.Authorization;
using MassTransit;

namespace Gatehouse.Authorization.CommandPolicies.AnsweringPolicies;

/// <summary>Answers the gateway's <see cref="GetCommandPolicies"/> from the in-memory index.</summary>
public sealed class GetCommandPoliciesConsumer(AccessIndexCache cache) : IConsumer<GetCommandPolicies>
{
    public async Task Consume(ConsumeContext<GetCommandPolicies> context)
    {
        if (!cache.IsLoaded)
        {
            await cache.RefreshAsync(context.CancellationToken);
        }

        await context.RespondAsync(SessionCommandPolicies.For(context.Message, cache.Current));
    }
}
