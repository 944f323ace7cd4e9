using System.Security.Cryptography;
using Gatehouse.Authentication.Credentials.Mfa;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Tests.Credentials.Mfa;

public class When_a_secret_is_sealed_for_a_user
{
    private static AuthenticationSettings Settings(string key, string keyId = "1") => new()
    {
        SecretsKey = key,
        SecretsKeyId = keyId,
        PasswordHashing = new PasswordHashingSettings { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 },
    };

    [Fact]
    public void Should_decrypt_a_secret_only_for_its_own_user()
    {
        var protector = new SecretProtector(Options.Create(Settings(NewKey())));
        var secret = RandomNumberGenerator.GetBytes(20);
        var user = Guid.NewGuid();
        var sealedSecret = protector.Protect(secret, user);
        Assert.DoesNotContain(Convert.ToBase64String(secret), sealedSecret);
        Assert.Equal(secret, protector.Unprotect(sealedSecret, user));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedSecret, Guid.NewGuid()));
    }

    [Fact]
    public void Should_still_decrypt_with_a_retired_key_after_rotation()
    {
        var oldKey = NewKey();
        var user = Guid.NewGuid();
        var sealedSecret = new SecretProtector(Options.Create(Settings(oldKey, "2025"))).Protect([1, 2, 3], user);
        var rotated = Settings(NewKey(), "2026");
        rotated.RetiredSecretsKeys["2025"] = oldKey;
        Assert.Equal([1, 2, 3], new SecretProtector(Options.Create(rotated)).Unprotect(sealedSecret, user));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    public void Should_explain_a_missing_or_invalid_secrets_key(string? key) =>
        Assert.Contains("SecretsKey", SecretProtector.Problem(Settings(key!)));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
