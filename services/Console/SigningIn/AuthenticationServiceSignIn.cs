using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.WebConsole.Calling;

namespace Gatehouse.WebConsole.SigningIn;

/// <summary>
/// Password and TOTP (or recovery) code, checked by the Authentication service's <c>/api/tokens</c> as
/// <c>gatehouse login</c> does: its throttles, lockouts and events apply, and its refusal is shown as it gave it.
/// </summary>
public sealed class AuthenticationServiceSignIn(IHttpClientFactory clients) : IPasswordSignIn
{
    private sealed record TokenAnswer(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);

    public async Task<SignInAttempt> SignInAsync(string userName, string password, string? code, CancellationToken cancellationToken)
    {
        using var client = clients.CreateClient(nameof(GatehouseService.Authentication));
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync("api/tokens", new { userName, password, code }, ServiceApis.Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return SignInAttempt.Refused("The Authentication service does not answer; try again shortly.");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return SignInAttempt.Refused(await ServiceApis.ProblemTextAsync(response, cancellationToken));
            }

            var token = await response.Content.ReadFromJsonAsync<TokenAnswer>(ServiceApis.Json, cancellationToken);
            return token is { AccessToken.Length: > 0 }
                ? SignInAttempt.Accepted(new SignedInPerson(userName, token.Roles ?? [], token.AccessToken, token.ExpiresAt))
                : SignInAttempt.Refused("The Authentication service gave no token.");
        }
    }
}
