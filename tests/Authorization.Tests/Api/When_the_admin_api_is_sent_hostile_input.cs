using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.TestSupport;
using Xunit.Abstractions;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>Every endpoint of the admin API, probed with hostile values and bodies: a 400 with the reason, never a 5xx.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_admin_api_is_sent_hostile_input(AnEmptyAuthorizationStore service, ITestOutputHelper output)
{
    [Theory]
    [InlineData("""{"name":"db01","address":"10.0.0.1","logins":["root"],"labels":{"env":"pr\u0000od"}}""", "labels.env", "NUL")]
    [InlineData("""{"name":"db01","address":"10.0.0.1","logins":["root","\u001b[2J"]}""", "logins[1]", "U+001B")]
    [InlineData("""{"name":"db\ud800","address":"10.0.0.1","logins":["root"]}""", "name", "not valid Unicode")]
    public async Task Should_name_the_field_of_a_body_that_holds_hostile_text(string body, string field, string problem)
    {
        using var admin = service.Admin();
        var before = await service.StoredDataAsync();

        var response = await admin.PostAsync("/api/targets", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Contains(problem, errors.GetProperty(field)[0].GetString());
        Assert.Equal(before, await service.StoredDataAsync());
    }

    [Fact]
    public async Task Should_never_answer_5xx_nor_store_anything()
    {
        // Every role, so the probes reach every endpoint rather than stopping at a 403.
        using var admin = service.As("root-admin", "admin", "approver");
        var before = await service.StoredDataAsync();

        var report = await HostileInput.ProbeAsync(admin, service.Services, TimeSpan.FromMinutes(3));

        output.WriteLine($"{report.Requests} requests to {report.Endpoints.Count} endpoints in {report.Took.TotalSeconds:0.0} s:\n{string.Join("\n", report.Endpoints)}");
        Assert.Contains(report.Endpoints, e => e is { Method: "POST", Template: "/api/grants" });
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(before, await service.StoredDataAsync());
    }
}
