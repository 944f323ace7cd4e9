using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.SigningIn;

/// <summary>
/// Issue #15, finding 2, against the real services with their default lockout settings: a stranger with no credential
/// sends wrong passwords for an administrator to POST /api/tokens from two addresses of their own. Authentication trusts
/// no forwarded-for header, so each stranger connects from its own loopback address.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_stranger_guesses_an_admins_password(GatehouseStack stack, AnAuditStoreOnTheBus audit) : IClassFixture<AnAuditStoreOnTheBus>
{
    private const string Password = "the admin's own passphrase";

    [Fact]
    public async Task Should_slow_the_stranger_while_the_admins_key_and_a_clean_address_still_get_in_and_the_soc_is_alerted()
    {
        var admin = await stack.CreateUserAsync("glass");
        (await stack.AuthenticationAdmin.PutAsJsonAsync($"api/users/{admin.Name}/roles", new { roles = new[] { "admin" } })).EnsureSuccessStatusCode();
        await stack.SetPasswordAsync(admin, Password);
        var target = await stack.RegisterTargetAsync("glass");
        await stack.GrantAsync(admin, target);
        string[] strangers = [OpenSsh.FreshLoopbackSource(), OpenSsh.FreshLoopbackSource()];

        // Default limits: 5 failures for one user at one address block that pair; 10 guesses from each address.
        var refusals = new List<string>();
        foreach (var stranger in strangers)
        {
            for (var i = 0; i < 10; i++)
            {
                refusals.Add(await TokenAsync(admin, "guess number " + i, stranger));
            }
        }

        var keyLogin = await OpenSsh.SshAsync(stack, admin, target, "echo the key still works");
        var keyFromStranger = await OpenSsh.SshAsync(stack, admin, target, "echo even from there", extraOptions: ["-o", $"BindAddress={strangers[0]}"]);
        var cleanPassword = await TokenAsync(admin, Password, OpenSsh.FreshLoopbackSource());
        var strangersPassword = await TokenAsync(admin, Password, strangers[1]);

        Assert.True(keyLogin.ExitCode == 0, $"exit {keyLogin.ExitCode}: {keyLogin.Error}");
        Assert.Equal("the key still works\n", keyLogin.Text);
        Assert.True(keyFromStranger.ExitCode == 0, $"exit {keyFromStranger.ExitCode}: {keyFromStranger.Error}");
        Assert.Equal("issued", cleanPassword);
        Assert.Equal(nameof(LoginFailureReason.TooManyAttempts), strangersPassword);
        Assert.Equal(Enumerable.Repeat(nameof(LoginFailureReason.WrongPassword), 5).Concat(Enumerable.Repeat(nameof(LoginFailureReason.TooManyAttempts), 5)),
            refusals.Take(10));
        Assert.Empty(await stack.AuthenticationEventsAsync(e => e is AccountLocked l && l.UserName == admin.Name));
        var throttled = (await stack.AuthenticationEventsAsync(e => e is LoginThrottled t && t.UserName == admin.Name)).Cast<LoginThrottled>().ToList();
        Assert.Equal(strangers.Order(), throttled.Select(t => t.Address).Order());
        var alert = await audit.AlertAsync(DetectionRules.BruteForce, admin.Name);
        Assert.Contains("failed logins for " + admin.Name, alert.Title);
    }

    /// <summary>POST /api/tokens over a connection from <paramref name="source"/>; "issued" or the refusal's reason.</summary>
    private async Task<string> TokenAsync(GatehouseUser user, string password, string source)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = stack.AuthenticationAdmin.BaseAddress };
        using var response = await client.PostAsJsonAsync("api/tokens", new { userName = user.Name, password });
        return response.StatusCode == HttpStatusCode.OK
            ? "issued"
            : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString()!;
    }
}
