using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.RefreshingPolicies;

/// <summary>
/// A command policy was set or removed: every live session fetches its policies again before it checks its next line
/// (which sessions a policy reaches depends on labels and roles that Authorization knows, so it is asked rather than guessed).
/// </summary>
public sealed class CommandPoliciesChangedConsumer(LiveSessions live) : IConsumer<CommandPolicyChanged>, IConsumer<CommandPolicyRemoved>
{
    public Task Consume(ConsumeContext<CommandPolicyChanged> context)
    {
        live.PoliciesChanged();
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<CommandPolicyRemoved> context)
    {
        live.PoliciesChanged();
        return Task.CompletedTask;
    }
}
