using System.Diagnostics;

namespace Gatehouse.Ssh.Benchmarks;

/// <summary>Accepts one key and runs exec requests with /bin/sh, the way sshd would for the same user.</summary>
internal sealed class ExecOnlyHooks(string authorizedKey) : ISshServerHooks, ISshConnectionHandler, ISshSessionHandler
{
    public ValueTask<ISshConnectionHandler> ConnectionStartedAsync(SshConnectionInfo connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ISshConnectionHandler>(this);

    public ValueTask<SshAuthResult> AuthenticatePublicKeyAsync(string userName, SshPublicKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(authorizedKey.StartsWith(key.ToOpenSshFormat(), StringComparison.Ordinal) ? SshAuthResult.Success : SshAuthResult.Failure);

    public ValueTask<ISshSessionHandler?> OpenSessionAsync(SshChannel channel, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ISshSessionHandler?>(this);

    public ValueTask<bool> HandleRequestAsync(SshChannel channel, SshSessionRequest request, CancellationToken cancellationToken)
    {
        if (request is not SshExecRequest exec) return ValueTask.FromResult(request is SshEnvRequest);
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", exec.Command }, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        _ = PumpAsync(channel, process);
        return ValueTask.FromResult(true);
    }

    private static async Task PumpAsync(SshChannel channel, Process process)
    {
        var input = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await channel.ReadAsync(buffer)) > 0) await process.StandardInput.BaseStream.WriteAsync(buffer.AsMemory(0, read));
            process.StandardInput.Close();
        });
        await Task.WhenAll(CopyAsync(process.StandardOutput.BaseStream, channel, false), CopyAsync(process.StandardError.BaseStream, channel, true));
        await process.WaitForExitAsync();
        await channel.ExitAsync(process.ExitCode);
        process.Dispose();
    }

    private static async Task CopyAsync(Stream source, SshChannel channel, bool stderr)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            if (stderr) await channel.WriteErrorAsync(buffer.AsMemory(0, read));
            else await channel.WriteAsync(buffer.AsMemory(0, read));
        }
    }
}
