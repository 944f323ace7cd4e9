using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Gatehouse.WebConsole.SigningIn;

/// <summary>
/// Keeps each signed-in person's ticket (their roles and API token) in this process; the cookie carries only a random
/// key to it. One instance only: a second console instance would not know the first one's sign-ins, and a restart
/// signs everyone out.
/// </summary>
public sealed class ServerSideSessions(IMemoryCache cache) : ITicketStore
{
    private const string Prefix = "console-session:";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var options = new MemoryCacheEntryOptions();
        if (ticket.Properties.ExpiresUtc is { } expires)
        {
            options.SetAbsoluteExpiration(expires);
        }

        cache.Set(Prefix + key, ticket, options);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(cache.TryGetValue(Prefix + key, out AuthenticationTicket? ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        cache.Remove(Prefix + key);
        return Task.CompletedTask;
    }

    public static string CookieScheme => CookieAuthenticationDefaults.AuthenticationScheme;
}
