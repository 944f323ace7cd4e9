using Gatehouse.Authentication.Credentials.Passwords;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Tokens.IssuingToken;

/// <param name="Code">The TOTP or recovery code; required when the user has an authenticator.</param>
public sealed record IssueTokenRequest(string? UserName, string? Password, string? Code);

public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);

/// <summary>
/// A person trades user name, password and TOTP code for a short-lived API token. It is a login like any other: the
/// same throttles (the source is the connection's address; no forwarded-for header is trusted), the same events, and
/// an <see cref="ApiTokenIssued"/> for every token.
/// </summary>
public static class IssueToken
{
    /// <summary>Open to anyone: this is where a token is had.</summary>
    public static void Map(IEndpointRouteBuilder open) => open.MapPost("/api/tokens", Handle);

    public const string Method = "api-password";

    /// <summary>Anyone may ask for a token: the caller acts as the sign-in, the events name the user who signed in.</summary>
    public const string Actor = "sign-in";

    public static async Task<IResult> Handle(HttpContext http, SignInService signIn, ApiTokenIssuer issuer,
        IDocumentStore store, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<IssueTokenRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var caller = ApiCaller.Acting(http, Actor);
        var source = http.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
        var errors = new InputErrors();
        if (SignInService.ValidateRequest(request!.UserName, source, caller.CorrelationId) is { } requestError)
        {
            errors.Add("userName", requestError);
        }

        if (request.Password is null or { Length: 0 or > PasswordHasher.MaxLength })
        {
            errors.Add("password", $"Password must be 1 to {PasswordHasher.MaxLength} characters.");
        }

        if (request.Code is { Length: > 32 })
        {
            errors.Add("code", "Code is longer than 32 characters.");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var outcome = await signIn.PasswordAsync(request.UserName!, request.Password!, source, caller.CorrelationId, Method, cancellationToken);
        if (outcome is { Accepted: true, MfaRequired: true })
        {
            outcome = await signIn.MfaAsync(request.UserName!, request.Code?.Trim() ?? "", source, caller.CorrelationId, cancellationToken);
        }

        if (outcome is not { Accepted: true, User: { } user })
        {
            var refusal = GatewayReplies.Refusal(outcome.Failure!.Value, SignInService.PasswordMethod);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication refused",
                detail: refusal.Message, extensions: new Dictionary<string, object?> { ["reason"] = refusal.Reason.ToString() });
        }

        var token = issuer.Issue(user, Guid.CreateVersion7(caller.Now).ToString("N"), caller.Now);
        await using var session = store.LightweightSession();
        session.AppendAccessEvent(LoginStreams.For(caller.CorrelationId), new ApiTokenIssued(user.UserName, token.TokenId,
            user.Roles, token.ExpiresAt, user.UserName, source, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(new TokenResponse(token.Token, "Bearer", token.ExpiresAt, user.Roles));
    }
}
