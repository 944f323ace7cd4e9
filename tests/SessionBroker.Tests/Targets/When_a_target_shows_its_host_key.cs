using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Tests.Targets;

public sealed class When_a_target_shows_its_host_key
{
    // An ed25519 public key blob: string "ssh-ed25519", string of 32 key bytes.
    private static readonly byte[] Blob = [0, 0, 0, 11, .. "ssh-ed25519"u8, 0, 0, 0, 32, .. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void Should_read_an_openssh_line_and_match_only_the_same_key()
    {
        var pinned = PinnedHostKey.TryParse($"ssh-ed25519 {Convert.ToBase64String(Blob)} root@web01")!;

        Assert.Equal("ssh-ed25519", pinned.KeyType);
        Assert.True(pinned.Matches(Blob));
        Assert.False(pinned.Matches([.. Blob[..^1], 0]));
        Assert.Equal($"ssh-ed25519 {Convert.ToBase64String(Blob)}", Gatehouse.Vocabulary.OpenSshPublicKey.LineOf(Blob));
        Assert.StartsWith("SHA256:", pinned.Fingerprint);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ed25519 not-base64!")]
    public void Should_refuse_what_is_not_a_key_line(string? line) => Assert.Null(PinnedHostKey.TryParse(line));

    [Fact]
    public void Should_negotiate_rsa_keys_with_sha2_signatures_only()
    {
        var rsa = new PinnedHostKey("ssh-rsa", [1]);

        Assert.True(rsa.Allows("rsa-sha2-512"));
        Assert.True(rsa.Allows("rsa-sha2-256"));
        Assert.False(rsa.Allows("ssh-ed25519"));
        Assert.False(new PinnedHostKey("ssh-ed25519", [1]).Allows("ssh-ed25519-cert-v01@openssh.com"));
    }
}
