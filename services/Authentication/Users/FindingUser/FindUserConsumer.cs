using Gatehouse.Contracts.Authentication;
using Gatehouse.Vocabulary;
using Marten;
using MassTransit;

namespace Gatehouse.Authentication.Users.FindingUser;

/// <summary>
/// Answers whether a user exists, so another service can refuse to record a grant to a name nobody holds, and how the
/// user stands now, so every service can refuse an API token whose user was disabled or lost a role.
/// </summary>
public sealed class FindUserConsumer(IQuerySession session) : IConsumer<FindUser>
{
    public async Task Consume(ConsumeContext<FindUser> context)
    {
        var name = context.Message.UserName;
        if (UserNames.Validate(name) is null && await UserStore.FindAsync(session, name, context.CancellationToken) is { } user)
        {
            await context.RespondAsync(new UserFound(user.UserName, user.Id, user.Disabled, user.Roles, user.TokenGeneration));
            return;
        }

        await context.RespondAsync(new UserNotFound(name));
    }
}
