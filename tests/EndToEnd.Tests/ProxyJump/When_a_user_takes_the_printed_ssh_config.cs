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
        var started = (await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Cast<SessionStarted>().Single();
        Assert.Equal((target, SshTarget.Login), (started.Target, started.Login));
    }

    [Fact]
    public async Task Should_be_refused_by_ssh_when_the_inner_host_key_is_another_targets()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpspoof", "jspoof");
        var other = await stack.RegisterTargetAsync("jother");

        var (exit, printed, error) = await GatehouseCli.RunAsync(stack, "ssh-config", "--user", user.Name, "--hosts", other, "--login", SshTarget.Login);

        Assert.True(exit == 0, error);
        var parts = printed.Split("# ~/.ssh/known_hosts\n");
        var directory = Directory.CreateDirectory(Path.Combine(stack.Work, $"spoof-{Guid.NewGuid():N}")).FullName;
        var knownHosts = Path.Combine(directory, "known_hosts");
        // The other target's key, listed under this target's name: a gateway serving the wrong key would pass.
        await File.WriteAllTextAsync(knownHosts, parts[1].Replace($"{other} ", $"{target} "));
        var config = Path.Combine(directory, "config");
        await File.WriteAllTextAsync(config, parts[0].Replace($"Host {other}", $"Host {target}") + $"""
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
        Assert.Contains("HOST IDENTIFICATION HAS CHANGED", result.Error);
    }
}
