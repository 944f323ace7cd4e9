using System.Net;

namespace Gatehouse.Authorization.Tests.Api;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_admin_api_is_called_without_the_right_token(AnEmptyAuthorizationStore service)
{
    [Theory]
    [InlineData("/api/targets")]
    [InlineData("/api/grants")]
    [InlineData("/api/command-policies")]
    [InlineData("/api/access-requests")]
    public async Task Should_refuse_a_request_without_a_token(string path)
    {
        using var anonymous = service.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Should_refuse_a_user_without_the_admin_role()
    {
        using var developer = service.As("token-dev", "developer");

        var response = await AnEmptyAuthorizationStore.Post(developer, "/api/grants",
            new { subjectKind = "User", subject = "token-dev", targetNames = new[] { "web01" }, logins = new[] { "root" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("Not allowed: this needs the admin role and your token carries the role developer.", await DetailAsync(response));
    }

    [Fact]
    public async Task Should_tell_a_user_who_approves_that_approving_needs_the_approver_role()
    {
        using var user = service.As("token-user", "user", "soc-analyst");

        var response = await user.PostAsync($"/api/access-requests/{Guid.NewGuid()}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("Not allowed: this needs the approver role and your token carries the roles user, soc-analyst.",
            await DetailAsync(response));
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
}
