using Gatehouse.Authentication.Credentials.Passwords;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Bootstrap.BootstrappingAdmin;

public sealed record BootstrapAdminRequest(string? Secret, string? UserName, string? Password);

/// <summary>Creates the first admin with a password, in exchange for the one-time bootstrap secret.</summary>
public static class BootstrapAdmin
{
    /// <summary>Open to anyone who holds the bootstrap secret: there is no admin yet to sign in.</summary>
    public static void Map(IEndpointRouteBuilder open) => open.MapPost("/api/bootstrap", Handle);

    public const string Actor = "bootstrap";

    public static async Task<IResult> Handle(HttpContext http, BootstrapSecret bootstrap, IDocumentStore store,
        PasswordHasher hasher, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<BootstrapAdminRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new InputErrors();
        if (request!.Secret is null or { Length: 0 or > 100 })
        {
            errors.Add("secret", "The bootstrap secret is required (the content of the bootstrap-secret file).");
        }

        if (UserNames.Validate(request.UserName) is { } nameError)
        {
            errors.Add("userName", nameError);
        }

        if (PasswordHasher.Validate(request.Password) is { } passwordError)
        {
            errors.Add("password", passwordError);
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var caller = ApiCaller.Acting(http, Actor);
        var userName = UserNames.Normalise(request.UserName);
        var userId = Guid.CreateVersion7(caller.Now);
        var created = await bootstrap.RedeemAsync(request.Secret!, async () =>
        {
            await using var session = store.LightweightSession();
            if (await session.Query<UserAccount>().AnyAsync(u => u.UserName == userName, cancellationToken))
            {
                return false;
            }

            session.StartStreamWithAccessEvent(userId, new UserCreated(userId, userName, [Roles.Admin],
                caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
            session.Events.Append(userId, new PasswordHashRecorded(userId, hasher.Hash(request.Password!), caller.Now));
            session.AppendAccessEvent(userId, new PasswordChanged(userId, userName,
                caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);

        return created
            ? Results.Created($"/api/users/{userName}", new { UserId = userId, UserName = userName, Roles = new[] { Roles.Admin } })
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Bootstrap refused",
                detail: "The bootstrap secret is wrong or already used, an admin already exists, or the user name is taken.");
    }
}
