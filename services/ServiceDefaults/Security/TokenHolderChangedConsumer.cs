using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>
/// Forgets what this host knew about a user the moment Authentication publishes a change that bears on their tokens, so
/// the next call with one of their tokens asks again. Consumed on a queue of each instance's own: every host hears every change.
/// </summary>
public sealed class TokenHolderChangedConsumer(TokenHolderCache cache) :
    IConsumer<UserDisabled>, IConsumer<UserEnabled>, IConsumer<UserDeleted>, IConsumer<UserRolesChanged>
{
    public Task Consume(ConsumeContext<UserDisabled> context) => Forget(context.Message.UserName);

    public Task Consume(ConsumeContext<UserEnabled> context) => Forget(context.Message.UserName);

    public Task Consume(ConsumeContext<UserDeleted> context) => Forget(context.Message.UserName);

    public Task Consume(ConsumeContext<UserRolesChanged> context) => Forget(context.Message.UserName);

    private Task Forget(string userName)
    {
        cache.Forget(userName);
        return Task.CompletedTask;
    }
}
