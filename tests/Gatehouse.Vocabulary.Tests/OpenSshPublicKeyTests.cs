namespace Gatehouse.Vocabulary.Tests;

public sealed class OpenSshPublicKeyTests
{
    // Made with ssh-keygen -t ed25519; "ssh-keygen -lf" printed the fingerprint.
    private const string Ed25519Line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbo5EjvR9tDgtpVbjPA2ufFMgEaLd8Zbk9pWZXTphOw";
    private const string Ed25519Fingerprint = "SHA256:DP5V8BrABjpmFnLNqMyj6UlI3B1OREESXSvzgymhR/4";

    // ssh-keygen -t rsa -b 1024, and -b 2048 (its base64 only).
    private const string Rsa1024Line = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDE1GDMpQbLPmn/g96VfRV0GQNztrundiaUKueKoHc1xSmyNFUqDDlZzeemH/vhDT0ED3XS50u617ao5MuXOoolmfVlStdBt0K2kwt7DkR7l6NLyDc11a1qhir0RaFgW/U76m6fqzQURTguHheJIN9Ub5+8FA5GChwEP865PwhgzQ==";
    private const string Rsa2048Base64 = "AAAAB3NzaC1yc2EAAAADAQABAAABAQDCy+3q8v7CuhFN6hP8sc325X91U02lcn9VSCjiXoaVxD+k/NK8Zkr7mDQCkF8yFSPX0QbffP6ixH4ENvoLS+qBEtbzc6dYwAnY03oxdc6IU3Oot0W6easmur+g7/PeRpSzKgMqol6eJScU77m19dor6FNUVHkZVV9AfnYAu8mYVhPUB4RK9BzY/khxyGUukDH+lCxxlYgJsQLgKQXV5+OZj3wlSjvAkQdansCfRyQpnwV6T0jGVuCR2wZVdFPLJ6vFxhGSEj/7hJLQyigSdcos/RoYACMI1Uog/D5LhuSanPGH9aStyFh2c1JXaNNaEtD9TQlIEw2yyKmGZPXUFimJ";

    [Fact]
    public void A_line_is_read_into_its_canonical_form_and_fingerprinted_as_ssh_keygen_does()
    {
        var (key, comment, error) = OpenSshPublicKey.ParseLine($"  {Ed25519Line} root@web01 ");

        Assert.Null(error);
        Assert.Equal("root@web01", comment);
        Assert.Equal(Ed25519Line, key!.Line);
        Assert.Equal(Ed25519Fingerprint, key.Fingerprint);
        Assert.Equal(Ed25519Fingerprint, OpenSshPublicKey.FingerprintOf(key.Blob));
        Assert.Equal(Ed25519Line, OpenSshPublicKey.LineOf(key.Blob));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3M=")]
    [InlineData("ssh-ed25519 not-base64!")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")]
    public void What_is_not_a_key_line_is_refused_with_a_reason(string? line)
    {
        var (key, _, error) = OpenSshPublicKey.ParseLine(line);
        Assert.Null(key);
        Assert.NotNull(error);
    }

    [Fact]
    public void A_blob_of_another_type_than_the_line_says_is_refused() =>
        Assert.NotNull(OpenSshPublicKey.ParseLine("ecdsa-sha2-nistp256 " + Ed25519Line.Split(' ')[1]).Error);

    [Fact]
    public void A_private_key_is_recognised_and_refused()
    {
        var (_, _, error) = OpenSshPublicKey.ParseLine("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----");
        Assert.Contains("private key", error);
    }

    [Fact]
    public void A_user_key_refuses_short_rsa_and_long_comments_which_a_host_key_line_does_not_care_about()
    {
        Assert.Null(OpenSshPublicKey.ParseLine(Rsa1024Line).Error);
        Assert.Contains("2048", OpenSshPublicKey.ParseAuthorizedKey(Rsa1024Line).Error);

        var longComment = $"{Ed25519Line} {new string('c', OpenSshPublicKey.MaxCommentLength + 1)}";
        Assert.Null(OpenSshPublicKey.ParseLine(longComment).Error);
        Assert.NotNull(OpenSshPublicKey.ParseAuthorizedKey(longComment).Error);
    }

    [Fact]
    public void An_rsa_signature_algorithm_names_an_ssh_rsa_key_as_the_gateway_presents_it() =>
        Assert.Equal("ssh-rsa", OpenSshPublicKey.Parse("rsa-sha2-512", Rsa2048Base64).Key!.Algorithm);

    [Fact]
    public void A_security_key_is_told_apart()
    {
        Assert.False(OpenSshPublicKey.ParseLine(Ed25519Line).Key!.IsSecurityKey);
        Assert.True(new OpenSshPublicKey("sk-ssh-ed25519@openssh.com", []).IsSecurityKey);
    }
}
