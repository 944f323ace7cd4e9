using System.Security.Cryptography;
using Gatehouse.Authentication.Credentials.Passwords;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Tests.Credentials.Passwords;

public class When_a_password_is_hashed
{
    private static AuthenticationSettings Settings(string key, string keyId = "1") => new()
    {
        SecretsKey = key,
        SecretsKeyId = keyId,
        PasswordHashing = new PasswordHashingSettings { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 },
    };

    [Fact]
    public void Should_verify_the_right_password_only()
    {
        var hash = new PasswordHasher(Options.Create(Settings(NewKey()))).Hash("correct horse battery");
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", hash);
        Assert.True(PasswordHasher.Verify("correct horse battery", hash));
        Assert.False(PasswordHasher.Verify("correct horse batterY", hash));
    }

    [Fact]
    public void Should_hash_with_the_configured_cost_and_still_verify_hashes_made_at_an_earlier_cost()
    {
        var earlier = new PasswordHasher(Options.Create(Settings(NewKey()))).Hash("correct horse battery");
        var raised = Settings(NewKey());
        raised.PasswordHashing = new PasswordHashingSettings { MemoryKiB = 2048, Iterations = 2, Parallelism = 2 };

        var now = new PasswordHasher(Options.Create(raised)).Hash("correct horse battery");

        Assert.StartsWith("$argon2id$v=19$m=2048,t=2,p=2$", now);
        Assert.True(PasswordHasher.Verify("correct horse battery", now));
        Assert.True(PasswordHasher.Verify("correct horse battery", earlier));
        Assert.False(PasswordHasher.Verify("correct horse battery", earlier.Replace("t=1", "t=2")));
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
