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

    public static async Task<IResult> Handle(ApiCaller caller, HttpContext http, IDocumentSession session,
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
        // Deleted users keep their name, so the audit trail never shows two people under one name.
        if (await session.Query<UserAccount>().AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            return ApiProblems.Conflict($"A user named '{userName}' exists or existed; user names are never reused.");
        }

        var userId = Guid.CreateVersion7(caller.Now);
        session.StartStreamWithAccessEvent(userId, new UserCreated(userId, userName, roles,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/users/{userName}", new UserCreatedResponse(userId, userName, roles));
    }
}
