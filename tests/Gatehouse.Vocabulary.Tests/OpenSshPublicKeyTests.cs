using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Vocabulary.Tests;

public sealed class OpenSshPublicKeyTests
{
    private static byte[] Ed25519Blob(byte seed)
    {
        var type = Encoding.ASCII.GetBytes("ssh-ed25519");
        var blob = new byte[4 + type.Length + 4 + 32];
        BinaryPrimitives.WriteInt32BigEndian(blob, type.Length);
        type.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + type.Length), 32);
        blob.AsSpan(8 + type.Length).Fill(seed);
        return blob;
    }

    [Fact]
    public void A_line_is_read_into_its_canonical_form_and_fingerprinted_as_ssh_keygen_does()
    {
        var blob = Ed25519Blob(7);
        var (key, comment, error) = OpenSshPublicKey.ParseLine($"  ssh-ed25519 {Convert.ToBase64String(blob)} root@web01 ");

        Assert.Null(error);
        Assert.Equal("root@web01", comment);
        Assert.Equal($"ssh-ed25519 {Convert.ToBase64String(blob)}", key!.Line);
        Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('='), key.Fingerprint);
        Assert.Equal(key.Fingerprint, OpenSshPublicKey.FingerprintOf(blob));
        Assert.Equal(key.Line, OpenSshPublicKey.LineOf(blob));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3M=")]
    [InlineData("ssh-ed25519 not-base64!")]
    public void What_is_not_a_key_line_is_refused_with_a_reason(string? line)
    {
        var (key, _, error) = OpenSshPublicKey.ParseLine(line);
        Assert.Null(key);
        Assert.NotNull(error);
    }

    [Fact]
    public void A_blob_of_another_type_than_the_line_says_is_refused()
    {
        var blob = Ed25519Blob(1);
        Assert.NotNull(OpenSshPublicKey.ParseLine($"ecdsa-sha2-nistp256 {Convert.ToBase64String(blob)}").Error);
    }

    [Fact]
    public void A_private_key_is_recognised_and_refused()
    {
        var (_, _, error) = OpenSshPublicKey.ParseLine("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----");
        Assert.Contains("private key", error);
    }

    [Fact]
    public void A_user_key_refuses_short_rsa_and_long_comments_which_a_host_key_line_does_not_care_about()
    {
        using var rsa = RSA.Create(1024);
        var parameters = rsa.ExportParameters(false);
        var blob = WireStrings(Encoding.ASCII.GetBytes("ssh-rsa"), parameters.Exponent!, [0, .. parameters.Modulus!]);
        var line = $"ssh-rsa {Convert.ToBase64String(blob)}";

        Assert.Null(OpenSshPublicKey.ParseLine(line).Error);
        Assert.Contains("2048", OpenSshPublicKey.ParseAuthorizedKey(line).Error);

        var longComment = $"ssh-ed25519 {Convert.ToBase64String(Ed25519Blob(2))} {new string('c', 201)}";
        Assert.Null(OpenSshPublicKey.ParseLine(longComment).Error);
        Assert.NotNull(OpenSshPublicKey.ParseAuthorizedKey(longComment).Error);
    }

    [Fact]
    public void An_rsa_signature_algorithm_names_an_ssh_rsa_key_as_the_gateway_presents_it()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var blob = WireStrings(Encoding.ASCII.GetBytes("ssh-rsa"), parameters.Exponent!, [0, .. parameters.Modulus!]);

        Assert.Equal("ssh-rsa", OpenSshPublicKey.Parse("rsa-sha2-512", Convert.ToBase64String(blob)).Key!.Algorithm);
    }

    private static byte[] WireStrings(params byte[][] values)
    {
        var output = new List<byte>();
        foreach (var value in values)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
            output.AddRange(length);
            output.AddRange(value);
        }

        return [.. output];
    }
}
