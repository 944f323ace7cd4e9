using Gatehouse.SessionBroker.Vault.StoringCredential;

namespace Gatehouse.SessionBroker.Tests.Vault.StoringCredential;

public sealed class When_a_credential_is_stored
{
    [Fact]
    public void Should_accept_a_password_for_a_valid_slot() =>
        Assert.Empty(StoreCredential.Validate("web01", "deploy", new StoreCredentialRequest(null, "s3cret")));

    [Fact]
    public void Should_want_exactly_one_credential()
    {
        Assert.Contains("credential", StoreCredential.Validate("web01", "deploy", new StoreCredentialRequest(null, null)).Keys);
        Assert.Contains("credential", StoreCredential.Validate("web01", "deploy", new StoreCredentialRequest("k", "p")).Keys);
        Assert.Contains("credential", StoreCredential.Validate("web01", "deploy", null).Keys);
    }

    [Fact]
    public void Should_refuse_a_private_key_it_cannot_read_without_echoing_it()
    {
        var errors = StoreCredential.Validate("web01", "deploy", new StoreCredentialRequest("-----BEGIN NOTHING-----\nc2VjcmV0\n", null));

        var problem = Assert.Single(errors["privateKey"]);
        Assert.DoesNotContain("c2VjcmV0", problem);
    }

    [Theory]
    [InlineData("Web 01", "deploy", "target")]
    [InlineData("web01", "Deploy", "login")]
    [InlineData("web01", "a-very-long-login-name-beyond-32-chars", "login")]
    [InlineData("web01", "deploy\n", "login")]
    [InlineData("web01\n", "deploy", "target")]
    public void Should_refuse_names_outside_the_rules(string target, string login, string field) =>
        Assert.Contains(field, StoreCredential.Validate(target, login, new StoreCredentialRequest(null, "p")).Keys);
}
