using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;

namespace Gatehouse.Authentication.Tests.Service;

[Collection(AuthenticationCollection.Name)]
public class When_a_password_fails_three_times(AuthenticationFixture fixture)
{
    private const string Password = "the right password, long";

    private async Task<(TestUser User, string LockingConnection)> LockedUserAsync(string prefix)
    {
        var user = await fixture.CreateUserAsync(prefix, password: Password);
        var connection = "";
        for (var i = 0; i < 3; i++)
        {
            connection = Guid.NewGuid().ToString();
            var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(user.Name, "wrong password " + i, TestSources.Next(), connection));
            Assert.Equal(LoginFailureReason.WrongPassword, Assert.IsType<AuthenticationRefused>(reply).Reason);
        }

        return (user, connection);
    }

    [Fact]
    public async Task Should_lock_the_account_and_refuse_even_the_right_password()
    {
        var (user, lockingConnection) = await LockedUserAsync("mia");

        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, Password, TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.Equal(LoginFailureReason.AccountLocked, Assert.IsType<AuthenticationRefused>(reply).Reason);
        var locked = await fixture.Published.WaitForAsync<AccountLocked>(e => e.CorrelationId == lockingConnection);
        Assert.Equal(user.Name, locked.UserName);
        Assert.Equal(3, locked.RecentFailures);
        await fixture.Published.WaitForAsync<LoginFailed>(e => e.UserName == user.Name && e.Reason == LoginFailureReason.AccountLocked);
    }

    [Fact]
    public async Task Should_accept_the_right_password_again_after_an_admin_unlocks_it()
    {
        var (user, _) = await LockedUserAsync("noah");

        var unlock = await fixture.Admin.PostAsync($"/api/users/{user.Name}/unlock", null);
        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, Password, TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.True((await unlock.Content.ReadFromJsonAsync<Lockout.UnlockingAccount.UnlockResponse>())!.WasLocked);
        Assert.IsType<PasswordAccepted>(reply);
        await fixture.Published.WaitForAsync<AccountUnlocked>(e => e.UserName == user.Name);
    }

    [Fact]
    public async Task Should_answer_not_found_when_unlocking_a_user_who_does_not_exist()
    {
        var before = await fixture.StoredEventCountAsync();

        var unlock = await fixture.Admin.PostAsync("/api/users/nobody-by-this-name/unlock", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, unlock.StatusCode);
        var problem = await unlock.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("No user named 'nobody-by-this-name'; nothing was unlocked. Check the name with 'gatehouse users list'.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(before, await fixture.StoredEventCountAsync());
    }

    [Fact]
    public async Task Should_lock_twice_as_long_when_the_failures_go_on_after_a_lockout()
    {
        var (user, firstLocking) = await LockedUserAsync("otto");
        var first = await fixture.Published.WaitForAsync<AccountLocked>(e => e.CorrelationId == firstLocking);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1.5));

        var secondLocking = "";
        for (var i = 0; i < 3; i++)
        {
            secondLocking = Guid.NewGuid().ToString();
            await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(user.Name, "still wrong " + i, TestSources.Next(), secondLocking));
        }

        var second = await fixture.Published.WaitForAsync<AccountLocked>(e => e.CorrelationId == secondLocking);
        Assert.Equal(TimeSpan.FromMinutes(1), first.LockedUntil - first.OccurredAt);
        Assert.Equal(TimeSpan.FromMinutes(2), second.LockedUntil - second.OccurredAt);
    }

    [Fact]
    public async Task Should_unlock_by_itself_when_the_lockout_ends()
    {
        var (user, _) = await LockedUserAsync("olivia");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1.5));

        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, Password, TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.IsType<PasswordAccepted>(reply);
    }

    [Fact]
    public async Task Should_count_every_failure_when_they_arrive_at_the_same_time()
    {
        var user = await fixture.CreateUserAsync("pia", password: Password);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, "wrong at once " + i, TestSources.Next(), Guid.NewGuid().ToString()))));
        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, Password, TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.Equal(LoginFailureReason.AccountLocked, Assert.IsType<AuthenticationRefused>(reply).Reason);
    }

    [Fact]
    public async Task Should_lock_unknown_user_names_too_so_a_lockout_reveals_nothing()
    {
        var name = "ghost-" + Guid.NewGuid().ToString("N")[..8];
        object reply = null!;
        for (var i = 0; i < 4; i++)
        {
            reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(name, "guess " + i, TestSources.Next(), Guid.NewGuid().ToString()));
        }

        Assert.Equal(LoginFailureReason.AccountLocked, Assert.IsType<AuthenticationRefused>(reply).Reason);
    }
}
