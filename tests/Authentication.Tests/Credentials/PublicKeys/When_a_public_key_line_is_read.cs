using System.Security.Cryptography;
using Gatehouse.Vocabulary;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Credentials.PublicKeys;

public class When_a_public_key_line_is_read
{
    [Fact]
    public void Should_parse_an_ed25519_line_with_its_comment_and_fingerprint()
    {
        var key = TestKeys.Ed25519();
        var (parsed, comment, error) = OpenSshPublicKey.ParseAuthorizedKey(key.Line("alice@laptop"));
        Assert.Null(error);
        Assert.Equal("ssh-ed25519", parsed!.Algorithm);
        Assert.Equal("alice@laptop", comment);
        Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(key.Blob)).TrimEnd('='), parsed.Fingerprint);
    }

    [Fact]
    public void Should_parse_ecdsa_and_rsa_keys_made_by_dotnet()
    {
        Assert.Null(OpenSshPublicKey.ParseAuthorizedKey(TestKeys.EcdsaP256().Line()).Error);
        Assert.Null(OpenSshPublicKey.ParseAuthorizedKey(TestKeys.Rsa(2048).Line()).Error);
    }

    [Fact]
    public void Should_accept_an_rsa_key_presented_under_an_rsa_sha2_signature_algorithm()
    {
        var key = TestKeys.Rsa(2048);
        Assert.Equal("ssh-rsa", OpenSshPublicKey.Parse("rsa-sha2-512", key.Base64).Key!.Algorithm);
    }

    public static TheoryData<string> PrivateKeys()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return [rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportRSAPrivateKeyPem(), ec.ExportECPrivateKeyPem()];
    }

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public void Should_refuse_a_private_key_saying_to_give_the_public_one(string privateKey) =>
        Assert.Equal("This is a private key, which stays with its owner: give the public key (the .pub file), one line such as 'ssh-ed25519 AAAA... comment'.",
            OpenSshPublicKey.ParseAuthorizedKey(privateKey).Error);

    [Fact]
    public void Should_refuse_short_rsa_keys() =>
        Assert.Contains("2048", OpenSshPublicKey.ParseAuthorizedKey(TestKeys.Rsa(1024).Line()).Error);

    [Theory]
    [InlineData("ssh-ed25519", "not base64!")]
    [InlineData("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5")]
    [InlineData("ssh-dss", "AAAAB3NzaC1kc3M=")]
    [InlineData("", "")]
    public void Should_refuse_malformed_keys(string algorithm, string base64) =>
        Assert.NotNull(OpenSshPublicKey.Parse(algorithm, base64).Error);

    [Fact]
    public void Should_refuse_a_blob_of_another_type_than_announced() =>
        Assert.NotNull(OpenSshPublicKey.Parse("ecdsa-sha2-nistp256", TestKeys.Ed25519().Base64).Error);

    [Fact]
    public void Should_refuse_trailing_bytes_and_absurd_lengths()
    {
        var key = TestKeys.Ed25519();
        Assert.NotNull(OpenSshPublicKey.Parse("ssh-ed25519", Convert.ToBase64String([.. key.Blob, 0])).Error);
        Assert.NotNull(OpenSshPublicKey.Parse("ssh-ed25519", new string('A', 1_000_000)).Error);
        Assert.NotNull(OpenSshPublicKey.ParseAuthorizedKey("ssh-ed25519 " + new string('A', 1_000_000)).Error);
    }
}
