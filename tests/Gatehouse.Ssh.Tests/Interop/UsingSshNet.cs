using System.Diagnostics;
using Gatehouse.Ssh.Tests.TestGateway;
using Renci.SshNet;

namespace Gatehouse.Ssh.Tests.Interop;

public class UsingSshNet(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private ConnectionInfo Connection(string? key = null) =>
        new("127.0.0.1", gateway.Port, LocalShellHooks.KeyUser, new PrivateKeyAuthenticationMethod(LocalShellHooks.KeyUser, new PrivateKeyFile(key ?? gateway.Ed25519Key)));

    [Fact]
    public async Task Should_run_a_command_and_report_its_exit_status()
    {
        using var client = new SshClient(Connection());
        await client.ConnectAsync(CancellationToken.None);

        using var command = client.RunCommand("echo ssh.net; exit 3");

        Assert.Equal("ssh.net\n", command.Result);
        Assert.Equal(3, command.ExitStatus);
    }

    [Fact]
    public async Task Should_sign_in_with_a_key_and_then_a_one_time_code()
    {
        var codeMethod = new KeyboardInteractiveAuthenticationMethod(LocalShellHooks.MfaUser);
        var prompts = new List<string>();
        codeMethod.AuthenticationPrompt += (_, e) =>
        {
            foreach (var prompt in e.Prompts)
            {
                prompts.Add(prompt.Request);
                prompt.Response = LocalShellHooks.OneTimeCode;
            }
        };
        var info = new ConnectionInfo("127.0.0.1", gateway.Port, LocalShellHooks.MfaUser,
            new PrivateKeyAuthenticationMethod(LocalShellHooks.MfaUser, new PrivateKeyFile(gateway.EcdsaKey)), codeMethod);
        using var client = new SshClient(info);
        await client.ConnectAsync(CancellationToken.None);

        using var command = client.RunCommand("echo second-factor-ok");

        Assert.Equal("second-factor-ok\n", command.Result);
        Assert.Equal(["Verification code: "], prompts);
    }

    [Fact]
    public async Task Should_run_several_rounds_of_keyboard_interactive_prompts()
    {
        var method = new KeyboardInteractiveAuthenticationMethod(LocalShellHooks.TwoRoundUser);
        var prompts = new List<string>();
        method.AuthenticationPrompt += (_, e) =>
        {
            foreach (var prompt in e.Prompts)
            {
                prompts.Add(prompt.Request);
                prompt.Response = prompt.Request.StartsWith("Password") ? LocalShellHooks.Password : LocalShellHooks.OneTimeCode;
            }
        };
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", gateway.Port, LocalShellHooks.TwoRoundUser, method));
        await client.ConnectAsync(CancellationToken.None);

        using var command = client.RunCommand("echo two-rounds-ok");

        Assert.Equal("two-rounds-ok\n", command.Result);
        Assert.Equal(["Password: ", "Verification code: "], prompts);
    }

    [Fact]
    public async Task Should_show_the_login_banner_before_sign_in()
    {
        var info = Connection();
        string? banner = null;
        info.AuthenticationBanner += (_, e) => banner = e.BannerMessage;
        using var client = new SshClient(info);

        await client.ConnectAsync(CancellationToken.None);

        Assert.Equal(GatewayFixture.LoginBanner, banner);
    }

    [Fact]
    public async Task Should_sign_in_with_a_password()
    {
        using var client = new SshClient("127.0.0.1", gateway.Port, LocalShellHooks.PasswordUser, LocalShellHooks.Password);
        await client.ConnectAsync(CancellationToken.None);

        using var command = client.RunCommand("echo ok");

        Assert.Equal("ok\n", command.Result);
    }

    [Fact]
    public async Task Should_transfer_files_over_sftp()
    {
        using var client = new SftpClient(Connection(gateway.RsaKey));
        await client.ConnectAsync(CancellationToken.None);
        var payload = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(payload);
        var path = Path.Combine(gateway.WorkDirectory, $"sshnet-{Guid.NewGuid():N}");

        client.UploadFile(new MemoryStream(payload), path);
        var back = new MemoryStream();
        client.DownloadFile(path, back);

        Assert.Equal(payload, back.ToArray());
    }
}
