using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.ProxyJump;

/// <summary>
/// git, rsync and Ansible with nothing but an ssh_config ProxyJump block and the plain login@target: each of their ssh
/// runs is an inner connection the gateway brokers and records. The targets carry a label of their own, so no other
/// test's command policy applies to the tools' own commands.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_tools_reach_targets_through_an_ssh_config_jump(GatehouseStack stack)
{
    private static readonly Dictionary<string, string> OwnLabels = new() { ["env"] = "jump-tools" };

    [Fact]
    public async Task Should_git_clone_and_push()
    {
        var (user, target, client) = await ArrangeAsync("jmpgit");
        var bare = Path.Combine(stack.Target.Directory, $"repo-{Guid.NewGuid():N}.git");
        await Processes.CheckAsync("git", "init", "--quiet", "--bare", "--initial-branch=main", bare);
        var seed = Path.Combine(stack.Work, $"seed-{Guid.NewGuid():N}");
        await Git(null, "init", "--quiet", "--initial-branch=main", seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "README"), "first\n");
        await Git(seed, "add", "README");
        await Git(seed, "commit", "--quiet", "-m", "first");
        await Git(seed, "push", "--quiet", bare, "main");

        var clone = Path.Combine(stack.Work, $"clone-{Guid.NewGuid():N}");
        var cloned = await Git(null, "clone", "--quiet", $"{SshTarget.Login}@{target}:{bare}", clone);
        await File.WriteAllTextAsync(Path.Combine(clone, "CHANGES"), "second\n");
        await Git(clone, "add", "CHANGES");
        await Git(clone, "commit", "--quiet", "-m", "second");
        var pushed = await Git(clone, "push", "--quiet", "origin", "main");

        Assert.True(cloned.ExitCode == 0, cloned.Error);
        Assert.True(pushed.ExitCode == 0, pushed.Error);
        var log = await Processes.RunAsync("git", ["--git-dir", bare, "log", "--format=%s", "main"]);
        Assert.Equal("second\nfirst\n", log.Text);
        var commands = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>().ToList();
        Assert.Contains(commands, c => c.CommandLine == $"git-upload-pack '{bare}'" && c.Target == target);
        Assert.Contains(commands, c => c.CommandLine == $"git-receive-pack '{bare}'");

        async Task<ProcessResult> Git(string? directory, params string[] arguments)
        {
            var result = await Processes.RunAsync("git", [.. directory is null ? [] : new[] { "-C", directory },
                "-c", "user.name=Jump Test", "-c", "user.email=jump@example.invalid", .. arguments],
                environment: new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = client.SshCommand });
            Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Error}");
            return result;
        }
    }

    [Fact]
    public async Task Should_rsync_a_tree_with_a()
    {
        var (user, target, client) = await ArrangeAsync("jmprsync");
        var source = Directory.CreateDirectory(Path.Combine(stack.Work, $"tree-{Guid.NewGuid():N}")).FullName;
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "alpha\n");
        await File.WriteAllBytesAsync(Path.Combine(source, "sub", "b.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000));
        var destination = Path.Combine(stack.Target.Directory, $"copy-{Guid.NewGuid():N}");

        var result = await Processes.RunAsync("rsync", ["-a", "-e", client.SshCommand, source + "/", $"{SshTarget.Login}@{target}:{destination}/"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("alpha\n", await File.ReadAllTextAsync(Path.Combine(destination, "a.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(source, "sub", "b.bin")), await File.ReadAllBytesAsync(Path.Combine(destination, "sub", "b.bin")));
        var command = (CommandExecuted)(await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Single();
        Assert.StartsWith("rsync --server", command.CommandLine);
    }

    [Fact]
    public async Task Should_run_ansible_ping_and_a_raw_command_from_an_inventory_line()
    {
        var (user, target, client) = await ArrangeAsync("jmpans");
        var home = Directory.CreateDirectory(Path.Combine(stack.Work, $"ansible-{Guid.NewGuid():N}")).FullName;
        var inventory = Path.Combine(home, "hosts");
        await File.WriteAllTextAsync(inventory, $"{target} ansible_user={SshTarget.Login} ansible_ssh_common_args='-F {client.ConfigPath}'\n");
        var environment = new Dictionary<string, string>
        {
            ["ANSIBLE_HOME"] = home, ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(home, "tmp"), ["ANSIBLE_SSH_CONTROL_PATH_DIR"] = Path.Combine(home, "cp"),
            ["ANSIBLE_HOST_KEY_CHECKING"] = "False", ["ANSIBLE_PYTHON_INTERPRETER"] = "/usr/bin/python3", ["ANSIBLE_NOCOLOR"] = "1",
        };

        var ping = await Processes.RunAsync("ansible", ["all", "-i", inventory, "-m", "ping"], environment: environment, timeout: TimeSpan.FromMinutes(3));
        var raw = await Processes.RunAsync("ansible", ["all", "-i", inventory, "-m", "raw", "-a", "echo raw-$((40+2))"], environment: environment,
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(ping.ExitCode == 0, ping.Text + ping.Error);
        Assert.Contains("\"ping\": \"pong\"", ping.Text);
        Assert.True(raw.ExitCode == 0, raw.Text + raw.Error);
        Assert.Contains("raw-42", raw.Text);
        var commands = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name && c.Target == target)).Cast<CommandExecuted>();
        Assert.Contains(commands, c => c.CommandLine == "echo raw-$((40+2))");
    }

    [Fact]
    public async Task Should_take_the_plus_separated_user_name_in_a_git_url_and_an_rsync_destination_without_a_jump()
    {
        var (user, target, _) = await ArrangeAsync("jmpplus");
        var name = $"{user.Name}+{SshTarget.Login}+{target}";
        var ssh = $"ssh -F /dev/null -i {user.KeyPath} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null";
        var bare = Path.Combine(stack.Target.Directory, $"plus-{Guid.NewGuid():N}.git");
        await Processes.CheckAsync("git", "init", "--quiet", "--bare", "--initial-branch=main", bare);
        var source = Directory.CreateDirectory(Path.Combine(stack.Work, $"plus-{Guid.NewGuid():N}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "note.txt"), "plus\n");
        var destination = Path.Combine(stack.Target.Directory, $"plus-copy-{Guid.NewGuid():N}");

        var cloned = await Processes.RunAsync("git", ["clone", "--quiet", $"ssh://{name}@127.0.0.1:{stack.GatewayPort}{bare}", Path.Combine(source, "clone")],
            environment: new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = ssh });
        var synced = await Processes.RunAsync("rsync", ["-a", "--exclude", "clone", "-e", $"{ssh} -p {stack.GatewayPort}", source + "/", $"{name}@127.0.0.1:{destination}/"]);

        Assert.True(cloned.ExitCode == 0, cloned.Error);
        Assert.True(synced.ExitCode == 0, synced.Error);
        Assert.Equal("plus\n", await File.ReadAllTextAsync(Path.Combine(destination, "note.txt")));
        var commands = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>().ToList();
        Assert.Contains(commands, c => c.CommandLine == $"git-upload-pack '{bare}'" && c.Target == target && c.Login == SshTarget.Login);
        Assert.Contains(commands, c => c.CommandLine.StartsWith("rsync --server", StringComparison.Ordinal));
    }

    private async Task<(GatehouseUser User, string Target, JumpClient Client)> ArrangeAsync(string prefix)
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync(prefix, "jtool", labels: OwnLabels);
        return (user, target, await JumpClient.WriteAsync(stack, user));
    }
}
