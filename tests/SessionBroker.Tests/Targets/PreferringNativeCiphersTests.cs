using Gatehouse.SessionBroker.Targets;
using Renci.SshNet;

namespace Gatehouse.SessionBroker.Tests.Targets;

public sealed class PreferringNativeCiphersTests
{
    private static ConnectionInfo Info() => new("web01.internal", 22, "deploy", new NoneAuthenticationMethod("deploy"));

    [Fact]
    public void AES_GCM_comes_first_towards_targets_where_SSH_NET_puts_its_managed_ciphers_first()
    {
        var info = Info();
        var others = info.Encryptions.Keys.Where(name => !TargetConnection.PreferredCiphers.Contains(name)).ToList();
        Assert.DoesNotContain(info.Encryptions.Keys.First(), TargetConnection.PreferredCiphers);

        TargetConnection.PreferNativeCiphers(info);

        Assert.Equal([.. TargetConnection.PreferredCiphers, .. others], info.Encryptions.Keys);
    }

    [Fact]
    public void A_cipher_the_client_lacks_is_skipped_rather_than_invented()
    {
        var info = Info();
        info.Encryptions.Remove("aes128-gcm@openssh.com");

        TargetConnection.PreferNativeCiphers(info);

        Assert.Equal("aes256-gcm@openssh.com", info.Encryptions.Keys.First());
        Assert.DoesNotContain("aes128-gcm@openssh.com", info.Encryptions.Keys);
    }
}
