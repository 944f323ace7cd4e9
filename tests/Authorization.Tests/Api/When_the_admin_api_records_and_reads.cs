using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>What every host's API kit gives this one: time-ordered event ids, the one body limit, its OpenAPI description.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_admin_api_records_and_reads(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_give_each_event_a_time_ordered_version_7_id()
    {
        using var admin = service.Admin();
        var name = $"ids-{Guid.NewGuid():N}"[..20];
        var target = await AnEmptyAuthorizationStore.Read<Target>(await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name, address = "10.7.7.7", logins = new[] { "root" } }));
        (await AnEmptyAuthorizationStore.Post(admin, $"/api/targets/{name}/remove", new { reason = "decommissioned" })).EnsureSuccessStatusCode();

        var events = (await service.EventsOfStreamAsync(target.Id)).OfType<IAccessEvent>().ToList();

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(7, e.EventId.Version));
    }

    [Fact]
    public async Task Should_refuse_a_body_over_64_KiB_with_413_and_store_nothing()
    {
        using var admin = service.Admin();
        var before = await service.StoredDataAsync();
        var body = "{\"name\":\"big-one\",\"address\":\"10.7.7.8\",\"logins\":[\"root\"],\"labels\":{\"note\":\"" + new string('a', 70 * 1024) + "\"}}";

        var response = await admin.PostAsync("/api/targets", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 65536 bytes", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await service.StoredDataAsync());
    }

    [Fact]
    public async Task Should_describe_itself_in_openapi_with_the_bearer_scheme()
    {
        using var anonymous = service.Anonymous();

        var text = await anonymous.GetStringAsync("/openapi/v1.json");
        var document = JsonDocument.Parse(text).RootElement;

        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer", "JWT"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString(),
            bearer.GetProperty("bearerFormat").GetString()));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/targets", out _));
        // The caller is bound from the token, not asked of the client.
        Assert.DoesNotContain("\"caller\"", text);
    }
}
