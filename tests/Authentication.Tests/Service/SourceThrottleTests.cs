using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;

namespace Gatehouse.Authentication.Tests.Service;

[Collection(AuthenticationCollection.Name)]
public class When_one_address_fails_against_many_users(AuthenticationFixture fixture)
{
    [Fact]
    public async Task Should_block_the_address_even_for_a_user_it_never_tried()
    {
        const string attacker = "203.0.113.66";
        for (var i = 0; i < 5; i++)
        {
            await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword($"victim{i}", "password123456", attacker, Guid.NewGuid().ToString()));
        }

        var user = await fixture.CreateUserAsync("xena");
        var fromAttacker = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString(), attacker));
        var fromElsewhere = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString(), "203.0.113.1"));

        Assert.Equal(LoginFailureReason.TooManyAttempts, Assert.IsType<AuthenticationRefused>(fromAttacker).Reason);
        Assert.IsType<PublicKeyAccepted>(fromElsewhere);
        var throttled = await fixture.Published.WaitForAsync<SourceAddressThrottled>(e => e.Address == attacker);
        Assert.Equal(5, throttled.RecentFailures);
    }
}
