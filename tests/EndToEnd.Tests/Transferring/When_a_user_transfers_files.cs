using System.Security.Cryptography;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Transferring;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_transfers_files(GatehouseStack stack)
{
    [Fact]
    public async Task Should_copy_with_scp_intact_and_audit_the_write()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("scp", "files");
        var local = Path.Combine(stack.Work, $"upload-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(local, RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17));
        var remote = Path.Combine(stack.Target.Directory, Path.GetFileName(local));
        var back = local + ".back";

        var up = await Processes.RunAsync("scp", [.. OpenSsh.Options(stack, user, portFlag: "-P"), .. OpenSsh.UserOption(user, target), local, $"127.0.0.1:{remote}"]);
        var down = await Processes.RunAsync("scp", [.. OpenSsh.Options(stack, user, portFlag: "-P"), .. OpenSsh.UserOption(user, target), $"127.0.0.1:{remote}", back]);

        Assert.True(up.ExitCode == 0, up.Error);
        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(local)), SHA256.HashData(await File.ReadAllBytesAsync(remote)));
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(local)), SHA256.HashData(await File.ReadAllBytesAsync(back)));
        var operations = (await stack.BrokerEventsAsync(e => e is SftpFileOperation o && o.UserName == user.Name)).Cast<SftpFileOperation>().ToList();
        Assert.Contains(operations, o => o.Operation == SftpOperation.OpenForWrite && o.Path == remote);
        Assert.Contains(operations, o => o.Operation == SftpOperation.OpenForRead && o.Path == remote);
    }

    [Fact]
    public async Task Should_relay_sftp_and_record_each_file_operation_with_its_path()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("sftp", "files");
        var local = Path.Combine(stack.Work, $"report-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "quarterly numbers\n");
        var folder = Path.Combine(stack.Target.Directory, $"inbox-{Guid.NewGuid():N}");
        var batch = string.Join('\n',
            $"mkdir {folder}",
            $"put {local} {folder}/report.txt",
            $"rename {folder}/report.txt {folder}/final.txt",
            $"chmod 600 {folder}/final.txt",
            $"get {folder}/final.txt {local}.copy",
            $"rm {folder}/final.txt",
            $"rmdir {folder}") + "\n";

        var result = await Processes.RunAsync("sftp", [.. OpenSsh.Options(stack, user, portFlag: "-P"), .. OpenSsh.UserOption(user, target), "-b", "-", "127.0.0.1"],
            System.Text.Encoding.UTF8.GetBytes(batch));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("quarterly numbers\n", await File.ReadAllTextAsync(local + ".copy"));
        Assert.False(Directory.Exists(folder));
        var operations = (await stack.BrokerEventsAsync(e => e is SftpFileOperation o && o.UserName == user.Name)).Cast<SftpFileOperation>().ToList();
        Assert.Equal(
            [
                (SftpOperation.MakeDirectory, folder, (string?)null),
                (SftpOperation.OpenForWrite, $"{folder}/report.txt", null),
                (SftpOperation.Rename, $"{folder}/report.txt", $"{folder}/final.txt"),
                (SftpOperation.SetAttributes, $"{folder}/final.txt", null),
                (SftpOperation.OpenForRead, $"{folder}/final.txt", null),
                (SftpOperation.Remove, $"{folder}/final.txt", null),
                (SftpOperation.RemoveDirectory, folder, null),
            ],
            operations.Select(o => (o.Operation, o.Path, o.NewPath)));
        Assert.Equal(Enumerable.Range(1, operations.Count), operations.Select(o => o.Sequence));
    }
}
