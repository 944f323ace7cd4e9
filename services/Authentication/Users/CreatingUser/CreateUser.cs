using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Users.CreatingUser;

public sealed record CreateUserRequest(string? UserName, string[]? Roles);

public sealed record UserCreatedResponse(Guid UserId, string UserName, IReadOnlyList<string> Roles);

public static class CreateUser
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/users", Handle);

    /// <param name="nameTaken">Whether a user of that name exists or existed.</param>
    public static UserDecision Decide(Guid userId, string userName, IReadOnlyList<string> roles, bool nameTaken, ApiCaller caller, Guid eventId) =>
        // Deleted users keep their name, so the audit trail never shows two people under one name.
        nameTaken
            ? NameTaken(userName)
            : UserDecision.Append(new UserCreated(userId, userName, roles, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    private static UserDecision NameTaken(string userName) =>
        UserDecision.Conflict($"A user named '{userName}' exists or existed; user names are never reused.");

    private static async Task<IResult> Handle(ApiCaller caller, HttpContext http, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CreateUserRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new InputErrors();
        if (UserNames.Validate(request!.UserName) is { } nameError)
        {
            errors.Add("userName", nameError);
        }

        var roles = errors.RoleList("roles", request.Roles);

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var userName = UserNames.Normalise(request.UserName);
        var nameTaken = await session.Query<UserAccount>().AnyAsync(u => u.UserName == userName, cancellationToken);
        var userId = Guid.CreateVersion7(caller.Now);
        var decision = Decide(userId, userName, roles, nameTaken, caller, caller.NewEventId());
        if (decision.Refusal is { } refusal)
        {
            return refusal.ToResult();
        }

        session.StartStreamWithAccessEvent(userId, (UserCreated)decision.Events[0]);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            // Another administrator created the name meanwhile.
            return NameTaken(userName).Refusal!.ToResult();
        }

        return Results.Created($"/api/users/{userName}", new UserCreatedResponse(userId, userName, roles));
    }
}
