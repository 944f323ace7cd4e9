using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Brokering;

/// <summary>
/// An auditor can show which sessions were protected against "harvest now, decrypt later": the session's start names the
/// key exchange, cipher and host key algorithm of both connections, the user's to the gateway and the gateway's to the
/// target.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_records_its_key_exchanges(GatehouseStack stack)
{
    [Fact]
    public async Task Should_name_the_algorithms_negotiated_on_both_connections()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("pq", "pq");

        var result = await OpenSsh.SshAsync(stack, user, target, "true",
            extraOptions: ["-o", "KexAlgorithms=sntrup761x25519-sha512@openssh.com", "-o", "Ciphers=aes256-gcm@openssh.com"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        Assert.Equal(new SshAlgorithms("sntrup761x25519-sha512@openssh.com", "aes256-gcm@openssh.com", "ssh-ed25519"), started.ClientSsh);
        // The target is this machine's OpenSSH 9.2 sshd, whose best is sntrup761 (ML-KEM came with 9.9); the gateway
        // prefers post-quantum methods, so it gets that. SSH.NET names it by the IETF name.
        Assert.NotNull(started.TargetSsh);
        Assert.Equal("sntrup761x25519-sha512", started.TargetSsh.KeyExchange);
        Assert.True(started.TargetSsh.IsPostQuantum());
        Assert.False(string.IsNullOrEmpty(started.TargetSsh.Cipher));
        Assert.False(string.IsNullOrEmpty(started.TargetSsh.HostKey));
    }
}
