using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.TestSupport;
using Xunit.Abstractions;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Tokens.CheckingTokenHolder;

/// <summary>
/// A host that cannot reach the Authentication service (a virtual host where none runs) cannot tell whether a token's
/// user is still enabled: it refuses the call with a 503 instead of trusting the token.
/// </summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_authentication_cannot_be_asked_about_a_token(ServiceWithFirstAdmin fixture) : IAsyncLifetime
{
    private const string Password = "a password for an unverifiable token";
    private readonly string _virtualHost = $"gatehouse-test-authn-alone-{Guid.NewGuid():N}"[..48];

    public async Task InitializeAsync()
    {
        fixture.Clock.Reset();
        using var management = Infrastructure.RabbitMqManagement();
        (await management.PutAsync($"vhosts/{_virtualHost}", JsonContent.Create(new { }))).EnsureSuccessStatusCode();
        (await management.PutAsync($"permissions/{_virtualHost}/{Infrastructure.RabbitMqUser("audit")}",
            JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" }))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        using var management = Infrastructure.RabbitMqManagement();
        (await management.DeleteAsync($"vhosts/{_virtualHost}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Should_refuse_the_call_with_503_rather_than_trust_the_token()
    {
        var analyst = await fixture.CreateUserAsync("alone", roles: ["soc-analyst"], password: Password);
        var token = await fixture.TokenAsync(analyst.Name, Password);
        await using var alone = await OtherService.StartAsync(fixture, new Dictionary<string, string?>
        {
            ["Gatehouse:Bus:VirtualHost"] = _virtualHost,
            ["Gatehouse:Api:TokenHolderLookupTimeout"] = "00:00:01",
        });
        using var client = alone.Client(token);

        using var response = await client.GetAsync("/audit");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("Cannot verify the token now", JsonSerializer.Deserialize<JsonElement>(body).GetProperty("title").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
