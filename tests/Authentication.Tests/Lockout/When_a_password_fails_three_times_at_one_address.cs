using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Lockout;

/// <summary>Wrong passwords for one user from one address block that pair (the test limit: 3), and nothing else.</summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_a_password_fails_three_times_at_one_address(ServiceWithFirstAdmin fixture)
{
    private const string Password = "the right password, long";

    private async Task<(TestUser User, string Source, string BlockingConnection)> BlockedUserAsync(string prefix)
    {
        var user = await fixture.CreateUserAsync(prefix, password: Password);
        var source = TestSources.Next();
        var connection = "";
        for (var i = 0; i < 3; i++)
        {
            connection = Guid.NewGuid().ToString();
            var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(user.Name, "wrong password " + i, source, connection));
            Assert.Equal(LoginFailureReason.WrongPassword, Assert.IsType<AuthenticationRefused>(reply).Reason);
        }

        return (user, source, connection);
    }

    private Task<object> PasswordAsync(TestUser user, string password, string source) =>
        fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(new AuthenticatePassword(user.Name, password, source, Guid.NewGuid().ToString()));

    [Fact]
    public async Task Should_refuse_even_the_right_password_there_and_only_there()
    {
        var (user, source, blockingConnection) = await BlockedUserAsync("mia");

        var there = await PasswordAsync(user, Password, source);
        var elsewhere = await PasswordAsync(user, Password, TestSources.Next());
        var keyThere = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString(), source));

        Assert.Equal(LoginFailureReason.TooManyAttempts, Assert.IsType<AuthenticationRefused>(there).Reason);
        Assert.IsType<PasswordAccepted>(elsewhere);
        Assert.IsType<PublicKeyAccepted>(keyThere);
        var throttled = await fixture.Published.WaitForAsync<LoginThrottled>(e => e.CorrelationId == blockingConnection);
        Assert.Equal((user.Name, "password", source, 3), (throttled.UserName, throttled.Factor, throttled.Address, throttled.RecentFailures));
        await fixture.Published.WaitForAsync<LoginFailed>(e => e.UserName == user.Name && e.Reason == LoginFailureReason.TooManyAttempts);
    }

    [Fact]
    public async Task Should_accept_the_right_password_there_again_after_an_admin_unlocks_the_user()
    {
        var (user, source, _) = await BlockedUserAsync("noah");

        var unlock = await fixture.Admin.PostAsync($"/api/users/{user.Name}/unlock", null);
        var reply = await PasswordAsync(user, Password, source);

        Assert.True((await unlock.Content.ReadFromJsonAsync<Gatehouse.Authentication.Lockout.UnlockingAccount.UnlockResponse>())!.WasLocked);
        Assert.IsType<PasswordAccepted>(reply);
        await fixture.Published.WaitForAsync<AccountUnlocked>(e => e.UserName == user.Name);
    }

    [Fact]
    public async Task Should_answer_not_found_when_unlocking_a_user_who_does_not_exist()
    {
        var before = await fixture.StoredDataAsync();

        var unlock = await fixture.Admin.PostAsync("/api/users/nobody-by-this-name/unlock", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, unlock.StatusCode);
        var problem = await unlock.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("No user named 'nobody-by-this-name'; nothing was unlocked. Check the name with 'gatehouse users list'.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(before, await fixture.StoredDataAsync());
    }

    [Fact]
    public async Task Should_block_twice_as_long_when_the_failures_go_on_after_a_block()
    {
        var (user, source, firstBlocking) = await BlockedUserAsync("otto");
        var first = await fixture.Published.WaitForAsync<LoginThrottled>(e => e.CorrelationId == firstBlocking);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1.5));

        var secondBlocking = "";
        for (var i = 0; i < 3; i++)
        {
            secondBlocking = Guid.NewGuid().ToString();
            await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(user.Name, "still wrong " + i, source, secondBlocking));
        }

        var second = await fixture.Published.WaitForAsync<LoginThrottled>(e => e.CorrelationId == secondBlocking);
        Assert.Equal(TimeSpan.FromMinutes(1), first.BlockedUntil - first.OccurredAt);
        Assert.Equal(TimeSpan.FromMinutes(2), second.BlockedUntil - second.OccurredAt);
    }

    [Fact]
    public async Task Should_unblock_by_itself_when_the_block_ends()
    {
        var (user, source, _) = await BlockedUserAsync("olivia");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1.5));

        Assert.IsType<PasswordAccepted>(await PasswordAsync(user, Password, source));
    }

    [Fact]
    public async Task Should_count_every_failure_when_they_arrive_at_the_same_time()
    {
        var user = await fixture.CreateUserAsync("pia", password: Password);
        var source = TestSources.Next();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => PasswordAsync(user, "wrong at once " + i, source)));
        var reply = await PasswordAsync(user, Password, source);

        Assert.Equal(LoginFailureReason.TooManyAttempts, Assert.IsType<AuthenticationRefused>(reply).Reason);
    }

    [Fact]
    public async Task Should_block_unknown_user_names_too_so_a_block_reveals_nothing()
    {
        var name = "ghost-" + Guid.NewGuid().ToString("N")[..8];
        var source = TestSources.Next();
        object reply = null!;
        for (var i = 0; i < 4; i++)
        {
            reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(name, "guess " + i, source, Guid.NewGuid().ToString()));
        }

        Assert.Equal(LoginFailureReason.TooManyAttempts, Assert.IsType<AuthenticationRefused>(reply).Reason);
    }
}
