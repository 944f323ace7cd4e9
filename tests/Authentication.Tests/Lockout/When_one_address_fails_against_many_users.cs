using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Lockout;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_one_address_fails_against_many_users(ServiceWithFirstAdmin fixture)
{
    [Fact]
    public async Task Should_block_passwords_from_the_address_even_for_a_user_it_never_tried_but_not_keys()
    {
        const string attacker = "203.0.113.66";
        for (var i = 0; i < 7; i++)
        {
            await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword($"victim{i}", "password123456", attacker, Guid.NewGuid().ToString()));
        }

        var user = await fixture.CreateUserAsync("xena", password: "xena's own password");
        var passwordFromAttacker = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, "xena's own password", attacker, Guid.NewGuid().ToString()));
        var passwordFromElsewhere = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, "xena's own password", "203.0.113.1", Guid.NewGuid().ToString()));
        var keyFromAttacker = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString(), attacker));

        Assert.Equal(LoginFailureReason.TooManyAttempts, Assert.IsType<AuthenticationRefused>(passwordFromAttacker).Reason);
        Assert.IsType<PasswordAccepted>(passwordFromElsewhere);
        // A key cannot be guessed: whoever holds a registered one is let in, whatever else came from their address.
        Assert.IsType<PublicKeyAccepted>(keyFromAttacker);
        var throttled = await fixture.Published.WaitForAsync<SourceAddressThrottled>(e => e.Address == attacker);
        Assert.Equal(7, throttled.RecentFailures);
    }
}
