using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Authentication;

public class SigningIn(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Repeated_wrong_passwords_end_the_connection_after_the_attempt_limit()
    {
        // On this gateway the login grace is the shipped 60 s, so only the attempt limit can end the connection.
        var limit = new SshServerOptions().MaxAuthAttempts;
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        Assert.Equal((byte)SshMessage.UserauthFailure, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, "wrong"));
        for (var attempt = 2; attempt < limit; attempt++)
        {
            Assert.Equal((byte)SshMessage.UserauthFailure, await client.RetryPasswordAsync(LocalShellHooks.PasswordUser, "wrong"));
        }
        await client.RetryPasswordAsync(LocalShellHooks.PasswordUser, "wrong", expectReply: false);

        Assert.Equal(SshDisconnectReason.NoMoreAuthMethodsAvailable, await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task Should_require_a_one_time_code_after_the_key_when_the_handler_answers_partial_success()
    {
        var result = await SshWithAskpassAsync(LocalShellHooks.MfaUser, LocalShellHooks.OneTimeCode, "publickey,keyboard-interactive", gateway.Ed25519Key);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("in\n", result.Text);
        var connection = gateway.Hooks.Connections.Last(c => c.UserName == LocalShellHooks.MfaUser && c.IsAuthenticated);
        Assert.StartsWith("SSH-2.0-OpenSSH_", connection.ClientVersion);
        // The session id is the first exchange hash: SHA-512, as OpenSSH chooses sntrup761x25519-sha512.
        Assert.Equal(128, connection.SessionId.Length);
        Assert.True(System.Net.IPAddress.IsLoopback(connection.RemoteEndPoint.Address));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_one_time_code()
    {
        var result = await SshWithAskpassAsync(LocalShellHooks.MfaUser, "000000", "publickey,keyboard-interactive", gateway.Ed25519Key);

        Assert.Equal(255, result.ExitCode);
        Assert.Empty(result.Text);
    }

    [Fact]
    public async Task Should_refuse_the_one_time_code_alone_without_the_key()
    {
        var result = await SshWithAskpassAsync(LocalShellHooks.MfaUser, LocalShellHooks.OneTimeCode, "keyboard-interactive", gateway.StrangerKey);

        Assert.Equal(255, result.ExitCode);
    }

    [Fact]
    public async Task Should_accept_a_correct_password()
    {
        var result = await SshWithAskpassAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password, "password", gateway.StrangerKey);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("in\n", result.Text);
    }

    [Fact]
    public async Task Should_refuse_a_key_that_is_not_authorized()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo in", identity: gateway.StrangerKey);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.Error);
    }

    private async Task<ProcessResult> SshWithAskpassAsync(string user, string answer, string methods, string identity)
    {
        var askpass = Path.Combine(gateway.WorkDirectory, $"askpass-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(askpass, $"#!/bin/sh\necho '{answer}'\n");
        File.SetUnixFileMode(askpass, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // setsid: without a controlling terminal ssh has to use SSH_ASKPASS for every prompt.
        return await OpenSsh.RunAsync("setsid", [
            "-w", "ssh",
            .. OpenSsh.CommonOptions(gateway.Port, identity, batchMode: false),
            "-o", $"PreferredAuthentications={methods}",
            "-o", "NumberOfPasswordPrompts=1",
            $"{user}@127.0.0.1", "echo in",
        ], environment: new Dictionary<string, string>
        {
            ["SSH_ASKPASS"] = askpass,
            ["SSH_ASKPASS_REQUIRE"] = "force",
            ["DISPLAY"] = ":0",
        });
    }
}
