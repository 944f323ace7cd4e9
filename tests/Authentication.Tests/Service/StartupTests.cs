using Gatehouse.TestSupport;

namespace Gatehouse.Authentication.Tests.Service;

public class When_the_service_starts_without_a_valid_secrets_key
{
    [Theory]
    [InlineData(null)]
    [InlineData("dG9vIHNob3J0")]
    public async Task Should_refuse_to_start_and_say_which_setting_is_wrong(string? key)
    {
        var state = Directory.CreateTempSubdirectory("gatehouse-authn-").FullName;
        var overrides = AuthenticationFixture.Overrides(state);
        overrides["Gatehouse:Authentication:SecretsKey"] = key;
        await using var service = new ServiceFactory<Program>("authentication", Infrastructure.UniqueSchema("authn"), overrides);

        var failure = Assert.ThrowsAny<Exception>(() => service.CreateClient());

        Assert.Contains("Gatehouse:Authentication:SecretsKey", failure.ToString());
        Directory.Delete(state, recursive: true);
    }
}
