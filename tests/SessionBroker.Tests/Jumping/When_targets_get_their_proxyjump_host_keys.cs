using Gatehouse.SessionBroker.Jumping;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.SessionBroker.Tests.Jumping;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class When_targets_get_their_proxyjump_host_keys : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-jumpkeys-").FullName;

    [Fact]
    public void Should_give_each_target_its_own_key_the_same_after_a_restart_from_a_private_seed()
    {
        var first = new TargetHostIdentities(_directory, NullLogger.Instance);
        using var web = first.For("web01");
        using var db = first.For("db01");
        var restarted = new TargetHostIdentities(_directory, NullLogger.Instance);
        using var webAgain = restarted.For("web01");

        Assert.NotEqual(web.PublicKey, db.PublicKey);
        Assert.Equal(web.PublicKey, webAgain.PublicKey);
        Assert.StartsWith("ssh-ed25519 ", web.PublicKey);
        var seed = Assert.Single(Directory.GetFiles(_directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(seed));
    }

    [Fact]
    public void Should_give_other_keys_from_another_seed()
    {
        using var web = new TargetHostIdentities(_directory, NullLogger.Instance).For("web01");
        using var elsewhere = new TargetHostIdentities(Path.Combine(_directory, "other"), NullLogger.Instance).For("web01");

        Assert.NotEqual(web.PublicKey, elsewhere.PublicKey);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
