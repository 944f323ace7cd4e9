using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Credentials.Mfa.RemovingMfa;

/// <summary>For a lost authenticator with no recovery codes left: the admin removes it and the user enrolls again.</summary>
public static class RemoveMfa
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/users/{name}/mfa", Handle);

    public static UserDecision Decide(UserAccount user, ApiCaller caller, Guid eventId) =>
        user.Totp is null
            ? UserDecision.NotFound($"{user.UserName} has no authenticator.")
            : UserDecision.Append(new MfaRemoved(user.Id, user.UserName, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    private static async Task<IResult> Handle(ApiCaller caller, string name, IDocumentSession session, CancellationToken cancellationToken)
    {
        var (problem, _) = await UserUpdates.DecideAsync(session, name, user => Decide(user, caller, caller.NewEventId()), cancellationToken);
        return problem ?? Results.NoContent();
    }
}
