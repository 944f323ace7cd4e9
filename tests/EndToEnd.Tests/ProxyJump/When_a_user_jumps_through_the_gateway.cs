using System.Diagnostics;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.ProxyJump;

/// <summary>
/// ssh -J and ssh_config ProxyJump with the plain user@host syntax: the gateway serves the inner SSH connection itself
/// and brokers it like user:login@target, so it is recorded, its commands captured and its policies applied.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_jumps_through_the_gateway(GatehouseStack stack)
{
    [Fact]
    public async Task Should_run_a_command_with_ssh_J_as_a_brokered_and_recorded_session()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpcmd", "jweb");
        var client = await JumpClient.WriteAsync(stack, user, jumpByDefault: false);

        var result = await client.SshAsync(target, "echo hello through the jump; exit 3", options: ["-J", JumpClient.JumpOption(stack, user)]);

        Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("hello through the jump\n", result.Text);
        var started = (SessionStarted)await stack.BrokerEventEventuallyAsync(e => e is SessionStarted s && s.UserName == user.Name);
        Assert.Equal((target, SshTarget.Login, SessionKind.Exec), (started.Target, started.Login, started.Kind));
        var ended = (SessionEnded)await stack.BrokerEventEventuallyAsync(e => e is SessionEnded s && s.SessionId == started.SessionId);
        var events = await stack.SessionEventsAsync(started.SessionId);
        var command = Assert.Single(events.OfType<CommandExecuted>());
        Assert.Equal("echo hello through the jump; exit 3", command.CommandLine);
        Assert.Equal(3, ended.ExitStatus);
        Assert.Equal("hello through the jump\n", Recording.Read(stack.RecordingDirectory, started.SessionId).Output);
    }

    [Fact]
    public async Task Should_ask_the_one_time_code_once_for_the_outer_connection_only()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpmfa", "jmfa", withMfa: true, mfaRequired: true);
        var client = await JumpClient.WriteAsync(stack, user, batchMode: false);
        var asked = Path.Combine(stack.Work, $"asked-{Guid.NewGuid():N}");
        var script = Path.Combine(stack.Work, $"askpass-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho \"$1\" >> {asked}\necho '{user.Code()}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await client.SshAsync(target, "echo mfa ok", options: ["-o", "BatchMode=no"],
            environment: new Dictionary<string, string> { ["SSH_ASKPASS"] = script, ["SSH_ASKPASS_REQUIRE"] = "force", ["DISPLAY"] = ":0" });

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("mfa ok\n", result.Text);
        Assert.Single(await File.ReadAllLinesAsync(asked), line => line.Contains("One-time code"));
    }

    [Fact]
    public async Task Should_refuse_a_shell_on_the_jump_connection_itself_with_a_line_and_an_event()
    {
        var user = await stack.CreateUserAsync("jmpsh");
        var client = await JumpClient.WriteAsync(stack, user);

        var result = await Processes.RunAsync("ssh", ["-F", client.ConfigPath, JumpClient.JumpHost, "echo should not run"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"gatehouse: {user.Name} signed in without a target, which only carries ProxyJump", result.Error);
        var refused = (SessionRefused)await stack.BrokerEventEventuallyAsync(e => e is SessionRefused r && r.UserName == user.Name);
        Assert.Equal(SessionRefusalReason.ProxyJumpOnly, refused.Reason);
    }

    [Fact]
    public async Task Should_refuse_an_unregistered_host_and_a_target_without_a_grant_with_the_reason()
    {
        var user = await stack.CreateUserAsync("jmpno");
        var ungranted = await stack.RegisterTargetAsync("jnogrant");
        var client = await JumpClient.WriteAsync(stack, user);

        foreach (var host in new[] { $"nosuch{Guid.NewGuid():N}"[..20], ungranted })
        {
            var result = await client.SshAsync(host, "echo should not run");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"gatehouse: access to {host} as {SshTarget.Login} is refused: {AccessRefusedShown}", result.Error);
            var refused = (SessionRefused)await stack.BrokerEventEventuallyAsync(e => e is SessionRefused r && r.UserName == user.Name && r.Target == host);
            Assert.Equal(SessionRefusalReason.AccessRefused, refused.Reason);
        }
    }

    [Fact]
    public async Task Should_refuse_a_port_other_than_ssh_on_the_jump_connection_with_the_reason()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpport", "jport");
        var client = await JumpClient.WriteAsync(stack, user);

        var result = await client.SshAsync(target, "echo should not run", options: ["-p", "5432"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains($"gatehouse: ProxyJump reaches a target's SSH service on port 22 only; {target}:5432 is refused", result.Error);
        var refused = (ForwardingRefused)await stack.BrokerEventEventuallyAsync(e => e is ForwardingRefused r && r.UserName == user.Name);
        Assert.Equal((ForwardingRefusalReason.NotATargetSshPort, target, 5432), (refused.Reason, refused.DestinationHost, refused.DestinationPort));
    }

    [Fact]
    public async Task Should_record_an_interactive_session_capture_its_commands_and_block_a_denied_one()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpint", "jshell");
        await stack.DenyCommandsAsync("no-recursive-delete", "rm -rf *");
        var victim = Path.Combine(stack.Target.Directory, $"precious-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(victim, "keep me");
        var client = await JumpClient.WriteAsync(stack, user);

        await using (var ssh = InteractiveSsh.StartWith(["-F", client.ConfigPath, "-tt", $"{SshTarget.Login}@{target}"]))
        {
            await ssh.TypeAsync("echo jumped-$((6*7))\r");
            await ssh.WaitForAsync("jumped-42");
            var before = ssh.Output.Length;
            await ssh.TypeAsync($"rm -rf {victim}\r");
            await ssh.WaitForAsync("gatehouse:", before);
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        Assert.True(File.Exists(victim), "the denied command did not reach the target");
        var started = (SessionStarted)await stack.BrokerEventEventuallyAsync(e => e is SessionStarted s && s.UserName == user.Name);
        Assert.Equal((target, SessionKind.Shell), (started.Target, started.Kind));
        var ended = (SessionEnded)await stack.BrokerEventEventuallyAsync(e => e is SessionEnded s && s.SessionId == started.SessionId);
        var events = await stack.SessionEventsAsync(started.SessionId);
        Assert.Equal(["echo jumped-$((6*7))", "exit"], events.OfType<CommandExecuted>().Select(c => c.CommandLine));
        Assert.Equal($"rm -rf {victim}", Assert.Single(events.OfType<CommandBlocked>()).CommandLine);
        var recording = Recording.Read(stack.RecordingDirectory, started.SessionId);
        Assert.Equal(recording.Sha256, ended.RecordingSha256);
        Assert.Contains("jumped-42", recording.Output);
    }

    [Fact]
    public async Task Should_copy_with_scp_and_sftp_through_the_jump_and_audit_the_files()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("jmpscp", "jfiles");
        var client = await JumpClient.WriteAsync(stack, user);
        var local = Path.Combine(stack.Work, $"jump-upload-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(local, System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 5));
        var remote = Path.Combine(stack.Target.Directory, Path.GetFileName(local));
        var back = local + ".back";

        var up = await Processes.RunAsync("scp", ["-F", client.ConfigPath, local, $"{SshTarget.Login}@{target}:{remote}"]);
        var down = await Processes.RunAsync("sftp", ["-F", client.ConfigPath, "-b", "-", $"{SshTarget.Login}@{target}"],
            Encoding.UTF8.GetBytes($"get {remote} {back}\n"));

        Assert.True(up.ExitCode == 0, up.Error);
        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Equal(await File.ReadAllBytesAsync(local), await File.ReadAllBytesAsync(back));
        var operations = (await stack.BrokerEventsAsync(e => e is SftpFileOperation o && o.UserName == user.Name)).Cast<SftpFileOperation>().ToList();
        Assert.Contains(operations, o => o.Operation == SftpOperation.OpenForWrite && o.Path == remote && o.Target == target);
        Assert.Contains(operations, o => o.Operation == SftpOperation.OpenForRead && o.Path == remote);
    }

    private const string AccessRefusedShown = AccessRefused.NotCovered;
}
