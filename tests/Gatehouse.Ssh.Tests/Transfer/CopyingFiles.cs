using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Transfer;

public class CopyingFiles(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("sftp protocol")]
    [InlineData("legacy scp protocol")]
    public async Task Should_copy_a_file_there_and_back_with_scp(string protocol)
    {
        var data = BulkData.Create(gateway.WorkDirectory, 4);
        var remote = Path.Combine(gateway.WorkDirectory, $"scp-remote-{Guid.NewGuid():N}");
        var back = Path.Combine(gateway.WorkDirectory, $"scp-back-{Guid.NewGuid():N}");
        string[] mode = protocol == "legacy scp protocol" ? ["-O"] : [];

        var upload = await OpenSsh.RunAsync("scp", [.. mode, .. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key, portFlag: "-P"), data.Path, $"alice@127.0.0.1:{remote}"]);
        var download = await OpenSsh.RunAsync("scp", [.. mode, .. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key, portFlag: "-P"), $"alice@127.0.0.1:{remote}", back]);

        Assert.True(upload.ExitCode == 0, upload.Error);
        Assert.True(download.ExitCode == 0, download.Error);
        Assert.Equal(data.Sha256, BulkData.HashOf(await File.ReadAllBytesAsync(back)));
    }

    [Fact]
    public async Task Should_serve_the_sftp_subsystem()
    {
        var data = BulkData.Create(gateway.WorkDirectory, 2);
        var directory = Path.Combine(gateway.WorkDirectory, $"sftp-{Guid.NewGuid():N}");
        var back = Path.Combine(gateway.WorkDirectory, $"sftp-back-{Guid.NewGuid():N}");
        var batch = Path.Combine(gateway.WorkDirectory, $"sftp-batch-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(batch, $"mkdir {directory}\ncd {directory}\nput {data.Path} uploaded.bin\nls -l\nget uploaded.bin {back}\nrename uploaded.bin renamed.bin\nls\n");

        var result = await OpenSsh.RunAsync("sftp", ["-b", batch, .. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key, portFlag: "-P"), "alice@127.0.0.1"]);

        Assert.True(result.ExitCode == 0, result.Error + result.Text);
        Assert.Contains("renamed.bin", result.Text);
        Assert.True(File.Exists(Path.Combine(directory, "renamed.bin")));
        Assert.Equal(data.Sha256, BulkData.HashOf(await File.ReadAllBytesAsync(back)));
    }
}
