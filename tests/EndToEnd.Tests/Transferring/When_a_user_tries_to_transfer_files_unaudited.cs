using System.Buffers.Binary;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using static Gatehouse.TestSupport.SftpPackets;

namespace Gatehouse.EndToEnd.Tests.Transferring;

/// <summary>
/// The ways around the file transfer audit found in issue #15, each tried with the real OpenSSH client through the
/// gateway to a real sshd: every file operation is recorded or the session is closed before it reaches the target.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_tries_to_transfer_files_unaudited(GatehouseStack stack)
{
    [Fact]
    public async Task Should_keep_recording_sftp_requests_after_one_larger_than_64_KiB()
    {
        var (user, target) = await UserWithTargetAsync("sftpbig");
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "old.log"), "old");
        File.WriteAllText(Path.Combine(folder, "a.txt"), "a");
        var stream = Concat(
            Packet(1, UInt32(3)),
            Request(200, 1, Str("vendor-bulk@example.com"), Str(new string('x', 100 * 1024))),
            Request(13, 2, Str($"{folder}/old.log")),
            Request(18, 3, Str($"{folder}/a.txt"), Str($"{folder}/b.txt")),
            Request(14, 4, Str($"{folder}/new"), UInt32(0)));

        var exitCode = await SftpSubsystemAsync(user, target, stream, replies: 5);

        Assert.Equal(0, exitCode);
        Assert.True(Directory.Exists(Path.Combine(folder, "new")) && File.Exists(Path.Combine(folder, "b.txt")));
        Assert.Equal(
            [
                (SftpOperation.UnrecognisedRequest, "sftp extension vendor-bulk@example.com", (string?)null),
                (SftpOperation.Remove, $"{folder}/old.log", null),
                (SftpOperation.Rename, $"{folder}/a.txt", $"{folder}/b.txt"),
                (SftpOperation.MakeDirectory, $"{folder}/new", null),
            ],
            (await OperationsAsync(user)).Select(o => (o.Operation, o.Path, o.NewPath)));
    }

    [Fact]
    public async Task Should_close_an_sftp_session_it_can_no_longer_follow_before_the_rest_reaches_the_target()
    {
        var (user, target) = await UserWithTargetAsync("sftpbad");
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "keep");
        var stream = Concat(
            Packet(1, UInt32(3)),
            Request(6, 1, Str("h"), new byte[8], Str(new string('x', 300 * 1024))),
            Request(13, 2, Str($"{folder}/keep.txt")));

        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user), "-s", OpenSsh.Destination(user, target), "sftp"], stream);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("could not be followed", result.Error);
        Assert.True(File.Exists(Path.Combine(folder, "keep.txt")));
        var ended = (SessionEnded)(await stack.BrokerEventsAsync(e => e is SessionEnded s && s.UserName == user.Name)).Single();
        Assert.Equal(SessionEndReason.TransferUnreadable, ended.EndReason);
    }

    [Fact]
    public async Task Should_record_links_attribute_changes_through_a_handle_copies_and_listings()
    {
        var (user, target) = await UserWithTargetAsync("sftplink");
        var folder = NewFolder();
        var local = Path.Combine(stack.Work, $"tool-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(local, "#!/bin/sh\n");
        var batch = string.Join('\n',
            $"put -p {local} {folder}/tool.sh",
            $"symlink /etc/passwd {folder}/soft",
            $"ln {folder}/tool.sh {folder}/hard",
            $"cp {folder}/tool.sh {folder}/copy.sh",
            $"ls {folder}") + "\n";

        var result = await Processes.RunAsync("sftp", [.. OpenSsh.Options(stack, user, portFlag: "-P"), .. OpenSsh.UserOption(user, target), "-b", "-", "127.0.0.1"],
            Encoding.UTF8.GetBytes(batch));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(folder, "soft")).LinkTarget);
        var operations = (await OperationsAsync(user)).Select(o => (o.Operation, o.Path, o.NewPath)).ToList();
        Assert.Contains((SftpOperation.OpenForWrite, $"{folder}/tool.sh", (string?)null), operations);
        Assert.Contains((SftpOperation.SetAttributes, $"{folder}/tool.sh", (string?)null), operations);
        Assert.Contains((SftpOperation.CreateSymbolicLink, "/etc/passwd", $"{folder}/soft"), operations);
        Assert.Contains((SftpOperation.CreateHardLink, $"{folder}/tool.sh", $"{folder}/hard"), operations);
        Assert.Contains((SftpOperation.OpenForRead, $"{folder}/tool.sh", (string?)null), operations);
        Assert.Contains((SftpOperation.CopyData, $"{folder}/tool.sh", $"{folder}/copy.sh"), operations);
        Assert.Contains((SftpOperation.ListDirectory, $"{folder}/", (string?)null), operations);
    }

    [Fact]
    public async Task Should_audit_an_sftp_server_run_as_a_command_per_file()
    {
        var (user, target) = await UserWithTargetAsync("sftpexec");
        var folder = NewFolder();
        var local = Path.Combine(stack.Work, $"secret-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "exfiltrate me\n");
        var batch = $"put {local} {folder}/in.txt\nrename {folder}/in.txt {folder}/out.txt\nrm {folder}/out.txt\n";

        var result = await Processes.RunAsync("sftp",
            [.. OpenSsh.Options(stack, user, portFlag: "-P"), .. OpenSsh.UserOption(user, target), "-s", "/usr/lib/openssh/sftp-server", "-b", "-", "127.0.0.1"],
            Encoding.UTF8.GetBytes(batch));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(File.Exists(Path.Combine(folder, "out.txt")));
        Assert.Equal(
            [
                (SftpOperation.OpenForWrite, $"{folder}/in.txt", (string?)null),
                (SftpOperation.Rename, $"{folder}/in.txt", $"{folder}/out.txt"),
                (SftpOperation.Remove, $"{folder}/out.txt", null),
            ],
            (await OperationsAsync(user)).Select(o => (o.Operation, o.Path, o.NewPath)));
    }

    [Fact]
    public async Task Should_refuse_an_sftp_server_started_together_with_other_commands()
    {
        var (user, target) = await UserWithTargetAsync("sftpmix");

        var result = await OpenSsh.SshAsync(stack, user, target, "echo ready; /usr/lib/openssh/sftp-server");

        Assert.Equal(126, result.ExitCode);
        Assert.Contains("cannot be followed", result.Error);
        var events = await stack.BrokerEventsAsync(e => e.Actor == user.Name && e is CommandBlocked or SessionEnded or CommandExecuted);
        Assert.Equal("echo ready; /usr/lib/openssh/sftp-server", Assert.IsType<CommandBlocked>(events[0]).CommandLine);
        Assert.Equal(SessionEndReason.TransferUnfollowable, Assert.IsType<SessionEnded>(Assert.Single(events, e => e is not CommandBlocked)).EndReason);
    }

    [Fact]
    public async Task Should_name_every_file_and_direction_of_a_legacy_scp_copy()
    {
        var (user, target) = await UserWithTargetAsync("scplegacy");
        var folder = NewFolder();
        var tree = Path.Combine(stack.Work, $"tree-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(tree, "big.bin"), new byte[200 * 1024]);
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "note.txt"), "C0644 1 fake.txt\n");
        var back = Path.Combine(stack.Work, $"back-{Guid.NewGuid():N}");
        Directory.CreateDirectory(back);
        string[] scp = [.. OpenSsh.Options(stack, user, portFlag: "-P"), .. OpenSsh.UserOption(user, target), "-O"];

        var upload = await Processes.RunAsync("scp", [.. scp, "-r", "-p", tree, $"127.0.0.1:{folder}/"]);
        var single = await Processes.RunAsync("scp", [.. scp, Path.Combine(tree, "sub", "note.txt"), $"127.0.0.1:{folder}/renamed.txt"]);
        var download = await Processes.RunAsync("scp", [.. scp, "-r", $"127.0.0.1:{folder}/{Path.GetFileName(tree)}", back]);

        Assert.True(upload.ExitCode == 0, upload.Error);
        Assert.True(single.ExitCode == 0, single.Error);
        Assert.True(download.ExitCode == 0, download.Error);
        Assert.Equal("C0644 1 fake.txt\n", await File.ReadAllTextAsync(Path.Combine(back, Path.GetFileName(tree), "sub", "note.txt")));
        var up = $"{folder}/{Path.GetFileName(tree)}";
        var operations = (await OperationsAsync(user)).Select(o => (o.Operation, o.Path)).ToList();
        List<(SftpOperation, string)> expected =
        [
            (SftpOperation.MakeDirectory, up),
            (SftpOperation.OpenForWrite, $"{up}/big.bin"),
            (SftpOperation.MakeDirectory, $"{up}/sub"),
            (SftpOperation.OpenForWrite, $"{up}/sub/note.txt"),
            (SftpOperation.OpenForWrite, $"{folder}/renamed.txt"),
            (SftpOperation.ListDirectory, up),
            (SftpOperation.OpenForRead, $"{up}/big.bin"),
            (SftpOperation.ListDirectory, $"{up}/sub"),
            (SftpOperation.OpenForRead, $"{up}/sub/note.txt"),
        ];

        // scp sends a directory's entries in the order the file system lists them.
        Assert.Equal(expected.Order(), operations.Order());
    }

    /// <summary>
    /// Speaks sftp through the real ssh client (<c>ssh -s ... sftp</c>) with hand-made packets, keeping its input open
    /// until the target answered them: sftp-server stops at end of input without finishing what it read.
    /// </summary>
    private async Task<int> SftpSubsystemAsync(GatehouseUser user, string target, byte[] stream, int replies)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-s", OpenSsh.Destination(user, target), "sftp"])
        {
            start.ArgumentList.Add(argument);
        }

        using var ssh = System.Diagnostics.Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = ssh.StandardError.ReadToEndAsync(deadline.Token);
        await ssh.StandardInput.BaseStream.WriteAsync(stream, deadline.Token);
        await ssh.StandardInput.BaseStream.FlushAsync(deadline.Token);
        var output = ssh.StandardOutput.BaseStream;
        for (var i = 0; i < replies; i++)
        {
            var length = new byte[4];
            await output.ReadExactlyAsync(length, deadline.Token);
            await output.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(length)], deadline.Token);
        }

        ssh.StandardInput.Close();
        await ssh.WaitForExitAsync(deadline.Token);
        await stderr;
        return ssh.ExitCode;
    }

    private async Task<(GatehouseUser User, string Target)> UserWithTargetAsync(string prefix)
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync(prefix, "files");
        return (user, target);
    }

    private string NewFolder()
    {
        var folder = Path.Combine(stack.Target.Directory, $"evade-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private async Task<List<SftpFileOperation>> OperationsAsync(GatehouseUser user) =>
        (await stack.BrokerEventsAsync(e => e is SftpFileOperation o && o.UserName == user.Name)).Cast<SftpFileOperation>().ToList();
}
