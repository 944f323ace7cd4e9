using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gatehouse.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests.Grants.IssuingGrant;

/// <summary>
/// A grant to a user needs Authentication's word that the user exists: an instance that cannot reach it (a virtual
/// host where no Authentication runs) refuses the grant with 503 and stores nothing, rather than guessing.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_authentication_does_not_answer(AnEmptyAuthorizationStore service) : IAsyncLifetime
{
    private readonly string _virtualHost = $"gatehouse-test-authz-alone-{Guid.NewGuid():N}"[..48];
    private readonly string _schema = Infrastructure.UniqueSchema("authz_alone");

    public async Task InitializeAsync()
    {
        using var management = Infrastructure.RabbitMqManagement();
        await SendAsync(management, HttpMethod.Put, $"vhosts/{_virtualHost}", "{}");
        await SendAsync(management, HttpMethod.Put, $"permissions/{_virtualHost}/{Infrastructure.RabbitMqUser("authorization")}",
            """{"configure":".*","write":".*","read":".*"}""");
    }

    public async Task DisposeAsync()
    {
        using var management = Infrastructure.RabbitMqManagement();
        await SendAsync(management, HttpMethod.Delete, $"vhosts/{_virtualHost}", null);
        await Infrastructure.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task Should_refuse_a_grant_to_a_user_with_503_and_store_nothing()
    {
        await using var alone = service.Instance(_schema, new Dictionary<string, string?>
        {
            ["Gatehouse:Bus:VirtualHost"] = _virtualHost,
            ["Gatehouse:Authorization:UserLookupTimeout"] = "00:00:01",
        });
        using var admin = alone.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.Token("root-admin", "admin"));
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new { name = "web01", address = "10.3.3.3", logins = new[] { "root" } }))
            .EnsureSuccessStatusCode();

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "User", subject = "someone", targetNames = new[] { "web01" }, logins = new[] { "root" } });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, $"{(int)response.StatusCode} {text}");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta); // passing, not final: a client may ask again
        Assert.Equal("Cannot check that user 'someone' exists: the Authentication service did not answer in time. Nothing was stored; try again.",
            JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
        Assert.Equal("[]", await admin.GetStringAsync("/api/grants"));
        await using var store = alone.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(1, await store.Events.QueryAllRawEvents().CountAsync()); // the target's registration, no grant
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
