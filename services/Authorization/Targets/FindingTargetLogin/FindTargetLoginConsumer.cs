using Gatehouse.Contracts.Authorization;
using Gatehouse.Vocabulary;
using Marten;
using MassTransit;

namespace Gatehouse.Authorization.Targets.FindingTargetLogin;

/// <summary>
/// Answers whether a target is registered and declares a login, so the SessionBroker refuses to vault a credential for
/// a mistyped target or login. Read from the store, not the index, so a target registered a moment ago on another
/// instance is found.
/// </summary>
public sealed class FindTargetLoginConsumer(IQuerySession session) : IConsumer<FindTargetLogin>
{
    public async Task Consume(ConsumeContext<FindTargetLogin> context)
    {
        var (targetName, login) = (context.Message.Target, context.Message.Login);
        var name = TargetNames.Normalise(targetName);
        var target = TargetNames.IsValid(name)
            ? await session.Query<Target>().FirstOrDefaultAsync(t => t.Name == name && !t.Removed, context.CancellationToken)
            : null;
        if (target is null)
        {
            await context.RespondAsync(new TargetLoginNotFound(targetName, login,
                $"there is no target named '{targetName}': register it first (gatehouse targets add), or check the name (gatehouse targets list)"));
        }
        else if (!target.Logins.Contains(login))
        {
            await context.RespondAsync(new TargetLoginNotFound(target.Name, login,
                $"target {target.Name} does not declare the login '{login}' (its logins: {string.Join(", ", target.Logins)}): "
                + "add it to the target first (gatehouse targets change), or correct the login"));
        }
        else
        {
            await context.RespondAsync(new TargetLoginFound(target.Name, login));
        }
    }
}
