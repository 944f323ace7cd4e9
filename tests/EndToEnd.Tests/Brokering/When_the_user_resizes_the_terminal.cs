using Gatehouse.EndToEnd.Tests.Support;
using Renci.SshNet;

namespace Gatehouse.EndToEnd.Tests.Brokering;

/// <summary>
/// OpenSSH sends window changes only from a real terminal it can watch for SIGWINCH, so this one test drives the
/// gateway with SSH.NET, which sends them on request.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_the_user_resizes_the_terminal(GatehouseStack stack)
{
    [Fact]
    public async Task Should_pass_the_new_size_to_the_target()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("resize", "wide");
        using var key = new PrivateKeyFile(user.KeyPath);
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", stack.GatewayPort, $"{user.Name}:{SshTarget.Login}@{target}",
            new PrivateKeyAuthenticationMethod($"{user.Name}:{SshTarget.Login}@{target}", key)));
        await client.ConnectAsync(CancellationToken.None);
        using var shell = client.CreateShellStream("xterm", 80, 24, 0, 0, 4096);

        shell.WriteLine("stty size");
        Assert.NotNull(shell.Expect("24 80", TimeSpan.FromSeconds(15), -1));
        shell.ChangeWindowSize(132, 50, 0, 0);
        shell.WriteLine("stty size");
        Assert.NotNull(shell.Expect("50 132", TimeSpan.FromSeconds(15), -1));
        shell.WriteLine("exit");
    }
}
