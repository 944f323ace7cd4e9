using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.ProxyJump;

/// <summary>
/// <c>gatehouse ssh-config</c>: the printed ssh_config block and known_hosts lines work exactly as printed, with
/// StrictHostKeyChecking yes, for the gateway and for the inner connection to the target.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_takes_the_printed_ssh_config(GatehouseStack stack)
{
    [Fact]
    public async Task Should_reach_the_target_with_strict_host_key_checking()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpcfg", "jcfg");

        var (exit, printed, error) = await GatehouseCli.RunAsync(stack, "ssh-config", "--user", user.Name, "--hosts", target, "--login", SshTarget.Login);

        Assert.True(exit == 0, error);
        var parts = printed.Split("# ~/.ssh/known_hosts\n");
        Assert.Equal(2, parts.Length);
        var directory = Directory.CreateDirectory(Path.Combine(stack.Work, $"printed-{Guid.NewGuid():N}")).FullName;
        var knownHosts = Path.Combine(directory, "known_hosts");
        await File.WriteAllTextAsync(knownHosts, parts[1]);
        var config = Path.Combine(directory, "config");
        // The printed block first (its values win), then what every user has in their own config anyway: their key.
        await File.WriteAllTextAsync(config, parts[0] + $"""
            Host *
                IdentityFile {user.KeyPath}
                IdentitiesOnly yes
                BatchMode yes
                StrictHostKeyChecking yes
                UserKnownHostsFile {knownHosts}
                GlobalKnownHostsFile /dev/null

            """);

        var result = await Processes.RunAsync("ssh", ["-F", config, target, "echo strictly-checked"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}\n{printed}");
        Assert.Equal("strictly-checked\n", result.Text);
        Assert.Contains($"User {user.Name}", parts[0]);
        Assert.Contains($"ProxyJump {Gatehouse.Cli.SshConfig.SshConfigCommand.JumpAlias}", parts[0]);
        Assert.Contains($"@cert-authority {target} ssh-", parts[1]);
        var started = (await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Cast<SessionStarted>().Single();
        Assert.Equal((target, SshTarget.Login), (started.Target, started.Login));
    }

    [Fact]
    public async Task Should_trust_a_target_only_through_a_cert_authority_line_whose_pattern_names_it()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpnarrow", "jnarrow");

        var (exit, printed, error) = await GatehouseCli.RunAsync(stack, "ssh-config", "--user", user.Name, "--hosts", "someone-else*", "--login", SshTarget.Login);

        Assert.True(exit == 0, error);
        var parts = printed.Split("# ~/.ssh/known_hosts\n");
        Assert.Contains("@cert-authority someone-else* ssh-", parts[1]);
        var directory = Directory.CreateDirectory(Path.Combine(stack.Work, $"narrow-{Guid.NewGuid():N}")).FullName;
        var knownHosts = Path.Combine(directory, "known_hosts");
        await File.WriteAllTextAsync(knownHosts, parts[1]);
        var config = Path.Combine(directory, "config");
        // The target is sent through the gateway, but the CA line printed for other hosts does not vouch for it.
        await File.WriteAllTextAsync(config, parts[0].Replace("Host someone-else*", $"Host {target}") + $"""
            Host *
                IdentityFile {user.KeyPath}
                IdentitiesOnly yes
                BatchMode yes
                StrictHostKeyChecking yes
                UserKnownHostsFile {knownHosts}
                GlobalKnownHostsFile /dev/null

            """);

        var result = await Processes.RunAsync("ssh", ["-F", config, target, "echo should not run"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Host key verification failed", result.Error);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
    }
}
