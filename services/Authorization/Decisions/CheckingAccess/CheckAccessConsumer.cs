using Gatehouse.Contracts.Authorization;
using MassTransit;

namespace Gatehouse.Authorization.Decisions.CheckingAccess;

/// <summary>Answers the gateway's <see cref="CheckAccess"/> with <see cref="AccessAllowed"/> or <see cref="AccessRefused"/>.</summary>
public sealed class CheckAccessConsumer(AccessDecisions decisions) : IConsumer<CheckAccess>
{
    public async Task Consume(ConsumeContext<CheckAccess> context)
    {
        var request = context.Message;
        var (decisionId, verdict) = await decisions.DecideAsync(request, context.CancellationToken);
        if (verdict is AccessAllowedBy { Grant: var grant, Target: var target })
        {
            await context.RespondAsync(new AccessAllowed(decisionId, request.UserName, target.Name, target.Address, target.Port,
                target.HostKey, request.Login, grant.Id, grant.MaxSessionLength, grant.ExpiresAt, grant.PortForwardingAllowed,
                grant.ForwardingDestinations, target.Labels, target.TrustsGatehouseUserCa, target.HostCertificateAuthorities,
                grant.RemoteForwardingPorts));
            return;
        }

        var refused = (AccessRefusedFor)verdict;
        await context.RespondAsync(new AccessRefused(decisionId, request.UserName, request.Target, request.Login,
            refused.Reason, refused.Detail, refused.ShownToUser));
    }
}
