using System.Buffers.Binary;
using System.Text;
using Gatehouse.Authorization.Targets;
using Gatehouse.Authorization.Targets.PinningHostKey;
using Gatehouse.Authorization.Tests.Decisions;

namespace Gatehouse.Authorization.Tests.Targets.PinningHostKey;

public class When_a_host_key_is_pinned
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_accept_an_openssh_key_and_fingerprint_it_as_openssh_does()
    {
        // ssh-keygen -lf prints SHA256:<unpadded base64 of SHA-256 over the key blob>.
        var blob = KeyBlob("ssh-ed25519", 7);
        var parsed = HostKeys.Parse("ssh-ed25519 " + Convert.ToBase64String(blob) + " root@web01");

        Assert.NotNull(parsed);
        Assert.Equal("ssh-ed25519 " + Convert.ToBase64String(blob), parsed.Canonical);
        Assert.Equal("SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(blob)).TrimEnd('='), parsed.Fingerprint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3M=")]
    [InlineData("ssh-ed25519 not-base64!")]
    public void Should_refuse_what_is_not_a_public_key(string line) => Assert.Null(HostKeys.Parse(line));

    [Fact]
    public void Should_refuse_a_key_whose_blob_is_of_another_type()
    {
        Assert.Null(HostKeys.Parse("ssh-ed25519 " + Convert.ToBase64String(KeyBlob("ssh-rsa", 1))));
    }

    [Fact]
    public void Should_pin_the_first_key_then_accept_only_that_key()
    {
        var target = When_access_is_decided.Target("web01", new(), "root");
        var first = HostKeys.Parse("ssh-ed25519 " + Convert.ToBase64String(KeyBlob("ssh-ed25519", 1)))!;
        var other = HostKeys.Parse("ssh-ed25519 " + Convert.ToBase64String(KeyBlob("ssh-ed25519", 2)))!;

        var pinned = Assert.IsType<HostKeyPinning.Pinned>(HostKeyPinning.OnFirstUse(target, first, "alice", null, "c", Guid.NewGuid(), Now));
        Assert.True(pinned.Event.TrustedOnFirstUse);
        var afterwards = target.Apply(pinned.Event);

        Assert.IsType<HostKeyPinning.AlreadyPinned>(HostKeyPinning.OnFirstUse(afterwards, first, "bob", null, "c", Guid.NewGuid(), Now));
        Assert.IsType<HostKeyPinning.Mismatch>(HostKeyPinning.OnFirstUse(afterwards, other, "bob", null, "c", Guid.NewGuid(), Now));

        var repinned = Assert.IsType<HostKeyPinning.Pinned>(HostKeyPinning.ByAdministrator(afterwards, other, "admin", null, "c", Guid.NewGuid(), Now));
        Assert.False(repinned.Event.TrustedOnFirstUse);
        Assert.Equal(first.Fingerprint, repinned.Event.PreviousFingerprint);
    }

    private static byte[] KeyBlob(string type, byte seed)
    {
        var name = Encoding.ASCII.GetBytes(type);
        var blob = new byte[4 + name.Length + 4 + 32];
        BinaryPrimitives.WriteInt32BigEndian(blob, name.Length);
        name.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + name.Length), 32);
        blob.AsSpan(8 + name.Length).Fill(seed);
        return blob;
    }
}
