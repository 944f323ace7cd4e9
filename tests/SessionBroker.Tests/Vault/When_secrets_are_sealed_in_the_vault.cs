using System.Security.Cryptography;
using System.Text;
using Gatehouse.SessionBroker.Vault;

namespace Gatehouse.SessionBroker.Tests.Vault;

public sealed class When_secrets_are_sealed_in_the_vault
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Should_open_a_sealed_secret_only_in_its_own_slot()
    {
        var vault = new VaultCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");
        var sealedSecret = vault.Seal("hunter2"u8, "web01", "deploy");

        Assert.Equal("hunter2", Encoding.UTF8.GetString(vault.Open(sealedSecret, "web01", "deploy")));
        Assert.ThrowsAny<CryptographicException>(() => vault.Open(sealedSecret, "web02", "deploy"));
        Assert.ThrowsAny<CryptographicException>(() => vault.Open(sealedSecret, "web01", "root"));
    }

    [Fact]
    public void Should_not_open_an_altered_secret()
    {
        var vault = new VaultCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");
        var sealedSecret = vault.Seal("hunter2"u8, "web01", "deploy");
        sealedSecret.Ciphertext[0] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => vault.Open(sealedSecret, "web01", "deploy"));
    }

    [Fact]
    public void Should_open_old_secrets_after_rotation_and_seal_new_ones_with_the_new_key()
    {
        var before = new VaultCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");
        var old = before.Seal("old"u8, "db01", "postgres");

        var after = new VaultCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey, ["k2"] = NewKey }, "k2");
        Assert.Equal("old", Encoding.UTF8.GetString(after.Open(old, "db01", "postgres")));
        Assert.Equal("k2", after.Seal("new"u8, "db01", "postgres").KeyId);

        var retired = new VaultCipher(new Dictionary<string, byte[]> { ["k2"] = NewKey }, "k2");
        Assert.ThrowsAny<CryptographicException>(() => retired.Open(old, "db01", "postgres"));
    }

    [Fact]
    public void Should_refuse_a_bad_key_configuration_with_a_reason()
    {
        Assert.Contains("32 bytes", Assert.Throws<ArgumentException>(() =>
            new VaultCipher(new Dictionary<string, byte[]> { ["k1"] = new byte[16] }, "k1")).Message);
        Assert.Contains("not among", Assert.Throws<ArgumentException>(() =>
            new VaultCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k9")).Message);
    }
}
