using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Vault;

/// <summary>The gatehouse vault and sessions commands against the real SessionBroker, with the token in GATEHOUSE_TOKEN.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_an_operator_uses_the_gatehouse_cli(GatehouseStack stack)
{
    [Fact]
    public async Task Should_store_a_credential_list_live_sessions_and_terminate_one()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("cli", "cli", storeCredential: false);

        Assert.Equal(0, (await Run("vault", "store", target, SshTarget.Login, "--private-key-file", stack.VaultKey)).Exit);
        var listed = await Run("vault", "list");
        Assert.Contains($"\"target\": \"{target}\"", listed.Out);
        Assert.DoesNotContain("PRIVATE KEY", listed.Out);

        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await ssh.TypeAsync("echo ready-$((3*3))\r");
        await ssh.WaitForAsync("ready-9");
        var sessions = await Run("sessions", "list");
        var row = Assert.Single(sessions.Out.Split('\n'), line => line.Contains(user.Name));
        var sessionId = row.Split(' ', 2)[0];

        Assert.Equal(0, (await Run("sessions", "terminate", sessionId, "--reason", "end of shift")).Exit);
        Assert.Equal(255, await ssh.WaitForExitAsync());
        Assert.Contains($"terminated by {GatehouseStack.AdminName}: end of shift", ssh.Output);

        Assert.Equal(0, (await Run("vault", "remove", target, SshTarget.Login)).Exit);
        Assert.DoesNotContain($"\"target\": \"{target}\"", (await Run("vault", "list")).Out);
    }

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) => GatehouseCli.RunAsync(stack, args);
}
