using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Lockout;

/// <summary>
/// The account lock policy (on in the tests: 8 password failures from any addresses, at most 2 minutes locked a day):
/// it locks the password, never the keys, and strangers cannot keep it locked beyond the daily cap.
/// </summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_passwords_fail_for_one_user_from_many_addresses(ServiceWithFirstAdmin fixture)
{
    private const string Password = "the right password, long";

    private async Task<string> FailFromEightAddressesAsync(TestUser user)
    {
        var connection = "";
        for (var i = 0; i < 8; i++)
        {
            connection = Guid.NewGuid().ToString();
            await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(new AuthenticatePassword(user.Name, "spread guess " + i, TestSources.Next(), connection));
        }

        return connection;
    }

    private Task<object> PasswordAsync(TestUser user) =>
        fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(new AuthenticatePassword(user.Name, Password, TestSources.Next(), Guid.NewGuid().ToString()));

    [Fact]
    public async Task Should_lock_the_password_of_the_account_but_never_its_key()
    {
        var user = await fixture.CreateUserAsync("quinn", password: Password);

        var locking = await FailFromEightAddressesAsync(user);
        var password = await PasswordAsync(user);
        var key = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString()));

        Assert.Equal(LoginFailureReason.AccountLocked, Assert.IsType<AuthenticationRefused>(password).Reason);
        Assert.IsType<PublicKeyAccepted>(key);
        var locked = await fixture.Published.WaitForAsync<AccountLocked>(e => e.CorrelationId == locking);
        Assert.Equal((user.Name, 8), (locked.UserName, locked.RecentFailures));
        var view = await fixture.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users/{user.Name}");
        Assert.Equal(locked.LockedUntil, view.GetProperty("lockedUntil").GetDateTimeOffset());

        (await fixture.Admin.PostAsync($"/api/users/{user.Name}/unlock", null)).EnsureSuccessStatusCode();
        Assert.IsType<PasswordAccepted>(await PasswordAsync(user));
    }

    [Fact]
    public async Task Should_lock_no_longer_in_a_day_than_the_daily_cap_however_long_the_failures_go_on()
    {
        var user = await fixture.CreateUserAsync("rhea", password: Password);

        var firstLocking = await FailFromEightAddressesAsync(user);
        var first = await fixture.Published.WaitForAsync<AccountLocked>(e => e.CorrelationId == firstLocking);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1.5));
        var secondLocking = await FailFromEightAddressesAsync(user);
        var second = await fixture.Published.WaitForAsync<AccountLocked>(e => e.CorrelationId == secondLocking);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1.5));
        await FailFromEightAddressesAsync(user);
        var afterTheCap = await PasswordAsync(user);

        Assert.Equal(TimeSpan.FromMinutes(1), first.LockedUntil - first.OccurredAt);
        // The second lock would last 2 minutes; only 1 of the day's 2 is left.
        Assert.Equal(TimeSpan.FromMinutes(1), second.LockedUntil - second.OccurredAt);
        Assert.IsType<PasswordAccepted>(afterTheCap);
    }
}
