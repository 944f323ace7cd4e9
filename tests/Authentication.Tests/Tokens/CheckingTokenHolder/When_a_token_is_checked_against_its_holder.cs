using System.Security.Claims;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Authentication.Tests.Tokens.CheckingTokenHolder;

/// <summary>The pure check every host makes after a token's signature and lifetime: is it still good for its user as they stand now?</summary>
public class When_a_token_is_checked_against_its_holder
{
    private static readonly Guid AnnId = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    private static ClaimsPrincipal Token(string? userId = null, string? generation = "2", params string[] roles)
    {
        var claims = new List<Claim> { new("sub", "ann") };
        if (userId is not null)
        {
            claims.Add(new Claim("uid", userId));
        }

        if (generation is not null)
        {
            claims.Add(new Claim("tgen", generation));
        }

        claims.AddRange(roles.Select(role => new Claim("role", role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    private static TokenHolder Ann(bool disabled = false, int generation = 2, params string[] roles) =>
        new("ann", AnnId, disabled, roles.Length == 0 ? ["soc-analyst", "approver"] : roles, generation);

    [Fact]
    public void Should_accept_a_token_whose_user_is_enabled_and_holds_its_roles() =>
        Assert.Null(TokenRevocation.Reason(Token(AnnId.ToString(), "2", "soc-analyst"), Ann()));

    [Fact]
    public void Should_accept_a_token_carrying_fewer_roles_than_the_user_holds_now() =>
        Assert.Null(TokenRevocation.Reason(Token(AnnId.ToString(), "2", "approver"), Ann(roles: ["approver", "soc-analyst", "admin"])));

    [Fact]
    public void Should_refuse_a_token_of_a_disabled_user() =>
        Assert.Contains("is disabled", TokenRevocation.Reason(Token(AnnId.ToString(), "2", "soc-analyst"), Ann(disabled: true)));

    [Fact]
    public void Should_refuse_a_token_issued_before_the_user_was_disabled_and_enabled_again() =>
        Assert.Contains("disabled after it was issued", TokenRevocation.Reason(Token(AnnId.ToString(), "2", "soc-analyst"), Ann(generation: 3)));

    [Fact]
    public void Should_refuse_a_token_of_a_user_that_no_longer_exists() =>
        Assert.Contains("no longer exists", TokenRevocation.Reason(Token(AnnId.ToString(), "2", "soc-analyst"), null));

    [Fact]
    public void Should_refuse_a_token_of_an_earlier_user_of_the_same_name() =>
        Assert.Contains("no longer exists", TokenRevocation.Reason(Token(Guid.NewGuid().ToString(), "2", "soc-analyst"), Ann()));

    [Fact]
    public void Should_refuse_a_token_claiming_a_role_the_user_lost_and_name_it()
    {
        var reason = TokenRevocation.Reason(Token(AnnId.ToString(), "2", "approver", "soc-analyst"), Ann(roles: ["approver"]));

        Assert.Contains("no longer holds the role soc-analyst", reason);
    }

    [Theory]
    [InlineData(null, "2")]
    [InlineData("not-a-guid", "2")]
    [InlineData("0193a1b2-0000-7000-8000-000000000001", null)]
    [InlineData("0193a1b2-0000-7000-8000-000000000001", "-1")]
    [InlineData("0193a1b2-0000-7000-8000-000000000001", "two")]
    public void Should_refuse_a_token_that_does_not_say_which_user_and_generation_it_belongs_to(string? userId, string? generation) =>
        Assert.Contains("sign in again", TokenRevocation.Reason(Token(userId, generation, "soc-analyst"), Ann()));
}
