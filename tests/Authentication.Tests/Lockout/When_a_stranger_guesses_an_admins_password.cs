using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Lockout;

/// <summary>
/// Issue #15, finding 2: a stranger guessing an administrator's password at POST /api/tokens, with no credential, from
/// addresses of their own. The guesses must slow the stranger and leave the administrator's way in open.
/// </summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_a_stranger_guesses_an_admins_password(ServiceWithFirstAdmin fixture)
{
    private const string Password = "the admin's own long password";

    [Fact]
    public async Task Should_throttle_the_strangers_addresses_and_keep_the_admins_key_and_clean_password_logins_working()
    {
        var admin = await fixture.CreateUserAsync("incident", roles: ["admin"], password: Password);
        try
        {
            string[] strangers = [TestSources.Next(), TestSources.Next()];

            var refusals = new List<string>();
            foreach (var stranger in strangers)
            {
                for (var i = 0; i < 8; i++)
                {
                    refusals.Add(await RefusalAsync(await fixture.TokenResponseAsync(admin.Name, "guess number " + i, stranger)));
                }
            }

            var keyFromElsewhere = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(admin.KeyRequest(Guid.NewGuid().ToString()));
            var keyFromStranger = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
                admin.KeyRequest(Guid.NewGuid().ToString(), strangers[0]));
            var passwordFromClean = await fixture.TokenResponseAsync(admin.Name, Password, TestSources.Next());
            var passwordFromStranger = await fixture.TokenResponseAsync(admin.Name, Password, strangers[1]);

            Assert.IsType<PublicKeyAccepted>(keyFromElsewhere);
            Assert.IsType<PublicKeyAccepted>(keyFromStranger);
            Assert.Equal(HttpStatusCode.OK, passwordFromClean.StatusCode);
            // The stranger is the one slowed down: after the per-user-and-source limit, even the right password is refused there.
            Assert.Equal(HttpStatusCode.Unauthorized, passwordFromStranger.StatusCode);
            Assert.Equal(nameof(LoginFailureReason.TooManyAttempts), await RefusalAsync(passwordFromStranger));
            Assert.Contains(nameof(LoginFailureReason.TooManyAttempts), refusals);
            Assert.DoesNotContain(nameof(LoginFailureReason.AccountLocked), refusals);
            var throttled = await fixture.Published.WaitForAsync<LoginThrottled>(e => e.UserName == admin.Name && e.Address == strangers[0]);
            Assert.Equal("password", throttled.Factor);
            await Assert.ThrowsAsync<TimeoutException>(() =>
                fixture.Published.WaitForAsync<AccountLocked>(e => e.UserName == admin.Name, TimeSpan.FromSeconds(2)));
        }
        finally
        {
            // Another test proves the fixture's admin is the last one.
            (await fixture.Admin.DeleteAsync($"/api/users/{admin.Name}")).EnsureSuccessStatusCode();
        }
    }

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return "issued";
        }

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("reason").GetString()!;
    }
}
