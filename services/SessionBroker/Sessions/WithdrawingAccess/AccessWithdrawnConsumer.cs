using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.WithdrawingAccess;

/// <summary>
/// Follows the events that withdraw access (published by Authentication and Authorization) and applies each to this
/// instance's live connections and sessions. Every instance receives every event; applying one twice ends nothing twice.
/// </summary>
public sealed class AccessWithdrawnConsumer(LiveSessions live, ILogger<AccessWithdrawnConsumer> logger)
    : IConsumer<UserDisabled>, IConsumer<UserDeleted>, IConsumer<PublicKeyRemoved>, IConsumer<GrantRevoked>, IConsumer<TargetRemoved>,
        IConsumer<UserRolesChanged>, IConsumer<RoleMemberRemoved>
{
    public Task Consume(ConsumeContext<UserDisabled> context) =>
        ApplyAsync(context, new UserWithdrawn(Required(context.Message.UserName), "user disabled"));

    public Task Consume(ConsumeContext<UserDeleted> context) =>
        ApplyAsync(context, new UserWithdrawn(Required(context.Message.UserName), "user deleted"));

    public Task Consume(ConsumeContext<PublicKeyRemoved> context) =>
        ApplyAsync(context, new KeyWithdrawn(Required(context.Message.UserName), Required(context.Message.Fingerprint)));

    public Task Consume(ConsumeContext<GrantRevoked> context) =>
        ApplyAsync(context, new GrantWithdrawn(context.Message.GrantId));

    public Task Consume(ConsumeContext<TargetRemoved> context) =>
        ApplyAsync(context, new TargetWithdrawn(Required(context.Message.Name)));

    public Task Consume(ConsumeContext<UserRolesChanged> context) =>
        ApplyAsync(context, new MembershipChanged(Required(context.Message.UserName), context.Message.Roles ?? [], context.Message.OccurredAt,
            "roles changed"));

    public Task Consume(ConsumeContext<RoleMemberRemoved> context) =>
        ApplyAsync(context, new MembershipChanged(Required(context.Message.UserName), null, context.Message.OccurredAt,
            $"removed from role {context.Message.Role}"));

    private async Task ApplyAsync(ConsumeContext context, AccessChange change)
    {
        var affected = await live.WithdrawAsync(change, context.CancellationToken);
        if (affected > 0)
        {
            logger.LogInformation("{Change} reached {Count} live session(s)", change, affected);
        }
    }

    private static string Required(string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("The event names no user, key or target") : value;
}
