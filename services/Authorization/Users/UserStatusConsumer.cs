using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Marten;
using MassTransit;

namespace Gatehouse.Authorization.Users;

/// <summary>
/// Follows the Authentication service's user events so a disabled or deleted user is refused with that reason even
/// while a session is being brokered. Events may arrive out of order or twice: only a newer change replaces an older one.
/// </summary>
public sealed class UserStatusConsumer(IDocumentSession session, AccessIndexCache index)
    : IConsumer<UserDisabled>, IConsumer<UserEnabled>, IConsumer<UserDeleted>
{
    public Task Consume(ConsumeContext<UserDisabled> context) =>
        RecordAsync(context.Message.UserName, true, "disabled", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<UserEnabled> context) =>
        RecordAsync(context.Message.UserName, false, "enabled", context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<UserDeleted> context) =>
        RecordAsync(context.Message.UserName, true, "deleted", context.Message, context.CancellationToken);

    private async Task RecordAsync(string userName, bool disabled, string change, IAccessEvent source, CancellationToken cancellationToken)
    {
        var current = await session.LoadAsync<UserStatus>(userName, cancellationToken);
        if (current is not null && (current.ChangedAt > source.OccurredAt || current.Change == "deleted"))
        {
            return;
        }

        session.Store(new UserStatus(userName, disabled, change, source.Actor, source.OccurredAt));
        await session.SaveChangesAsync(cancellationToken);
        await index.CatchUpAfterChangeAsync(cancellationToken);
    }
}
