using Gatehouse.Authentication.Bootstrap;
using Gatehouse.Authentication.Lockout.UnlockingAccount;
using Gatehouse.Authentication.Users;
using Marten;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.Vocabulary;

namespace Gatehouse.Authentication.Lockout.BreakingGlass;

public sealed record BreakGlassUnlockRequest(string? Secret, string? UserName);

/// <summary>
/// The way back in when every administrator is locked or blocked during an incident: the operator on the host reads
/// <c>break-glass-secret</c> (mode 0600) from the state directory and unlocks a user with it, as an administrator's
/// unlock does (<c>gatehouse break-glass unlock alice</c>). It grants nothing: the user still signs in with their own
/// password or key. Each secret works once; a new one is written at every start and after every use.
/// </summary>
public sealed class BreakGlassUnlock(StatePaths state) : IHostedService
{
    public const string Actor = "break-glass";

    /// <summary>Open to anyone who holds the break-glass secret: for when no admin can sign in.</summary>
    public static void Map(IEndpointRouteBuilder open) => open.MapPost("/api/break-glass/unlock", Handle);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HostLocalSecret _secret = new(Path.Combine(state.Resolve(AuthenticationSettings.StateFolder), "break-glass-secret"));

    public Task StartAsync(CancellationToken cancellationToken) => _secret.RenewAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _secret.Withdraw();
        return Task.CompletedTask;
    }

    public static async Task<IResult> Handle(HttpContext http, BreakGlassUnlock breakGlass, IDocumentSession session,
        ILogger<BreakGlassUnlock> logger, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<BreakGlassUnlockRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new InputErrors();
        if (request!.Secret is null or { Length: 0 or > 100 })
        {
            errors.Add("secret", "The break-glass secret is required (the content of the break-glass-secret file).");
        }

        if (UserNames.Validate(request.UserName) is { } nameError)
        {
            errors.Add("userName", nameError);
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var caller = ApiCaller.Acting(http, Actor);
        await breakGlass._gate.WaitAsync(cancellationToken);
        try
        {
            if (!breakGlass._secret.Matches(request.Secret!))
            {
                logger.LogWarning("Break-glass unlock of {UserName} from {Source} refused: wrong or spent secret", request.UserName, caller.SourceAddress);
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Break-glass refused",
                    detail: $"The secret is wrong or already used: read it again from {breakGlass._secret.FilePath} on the service's host.");
            }

            // Spent before the unlock, so a secret that leaked on its way cannot be used twice.
            await breakGlass._secret.RenewAsync(cancellationToken);
            return await UnlockAccount.UnlockAsync(session, UserNames.Normalise(request.UserName), caller, cancellationToken);
        }
        finally
        {
            breakGlass._gate.Release();
        }
    }
}
