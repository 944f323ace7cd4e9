using Gatehouse.Contracts.Authentication;
using MassTransit;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Users.FindingUser;

/// <summary>Authorization asks over the bus before it issues a grant to a user: only live users are found.</summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_another_service_asks_whether_a_user_exists(ServiceWithFirstAdmin fixture)
{
    [Fact]
    public async Task Should_find_a_user_under_the_name_as_authentication_spells_it()
    {
        var user = await fixture.CreateUserAsync("finn", withKey: false);

        var found = Assert.IsType<UserFound>(await AskAsync(user.Name.ToUpperInvariant()));
        Assert.Equal((user.Name, false, 0), (found.UserName, found.Disabled, found.TokenGeneration));
        Assert.Equal(["user"], found.Roles);
    }

    [Fact]
    public async Task Should_not_find_a_name_nobody_holds() =>
        Assert.Equal(new UserNotFound("nobody-here"), await AskAsync("nobody-here"));

    [Fact]
    public async Task Should_not_find_a_deleted_user()
    {
        var user = await fixture.CreateUserAsync("gone", withKey: false);
        (await fixture.Admin.DeleteAsync($"/api/users/{user.Name}")).EnsureSuccessStatusCode();

        Assert.Equal(new UserNotFound(user.Name), await AskAsync(user.Name));
    }

    [Fact]
    public async Task Should_not_find_a_name_that_is_not_a_user_name() =>
        Assert.IsType<UserNotFound>(await AskAsync("not a name; drop table"));

    private async Task<object> AskAsync(string userName)
    {
        var client = fixture.GatewayBus.CreateRequestClient<FindUser>(RequestTimeout.After(s: 15));
        var reply = await client.GetResponse<UserFound, UserNotFound>(new FindUser(userName));
        return reply.Message;
    }
}
