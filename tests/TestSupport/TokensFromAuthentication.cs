using System.Net.Http.Json;
using System.Text.Json;

namespace Gatehouse.TestSupport;

/// <summary>
/// API tokens from a real Authentication service, as operators get them: the first administrator through the bootstrap
/// secret in the state folder, anyone else by password.
/// </summary>
public static class TokensFromAuthentication
{
    /// <summary>Creates the first administrator with the bootstrap secret and signs them in.</summary>
    /// <param name="stateFolder">Authentication's own state folder, where it writes the bootstrap secret.</param>
    public static async Task<string> BootstrapAdminAsync(HttpClient anonymous, string stateFolder, string user, string password)
    {
        var secret = (await File.ReadAllTextAsync(Path.Combine(stateFolder, "bootstrap-secret"))).Trim();
        using var created = await anonymous.PostAsJsonAsync("api/bootstrap", new { secret, userName = user, password });
        created.EnsureSuccessStatusCode();
        return await SignInAsync(anonymous, user, password);
    }

    public static async Task<string> SignInAsync(HttpClient anonymous, string user, string password)
    {
        using var response = await anonymous.PostAsJsonAsync("api/tokens", new { userName = user, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"token for {user}: {(int)response.StatusCode} {body}");
        }

        return JsonSerializer.Deserialize<JsonElement>(body).GetProperty("accessToken").GetString()!;
    }
}
