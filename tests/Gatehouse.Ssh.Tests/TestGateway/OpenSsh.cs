using System.Diagnostics;

namespace Gatehouse.Ssh.Tests.TestGateway;

public sealed record ProcessResult(int ExitCode, byte[] Output, string Error)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Output);
}

/// <summary>Runs the real OpenSSH client programs against the test gateway.</summary>
public static class OpenSsh
{
    /// <summary>Options every test uses: no user config, no host key pinning, never prompt.</summary>
    public static IEnumerable<string> CommonOptions(int port, string? identity, bool batchMode = true, string portFlag = "-p") =>
    [
        "-F", "/dev/null",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", batchMode ? "BatchMode=yes" : "BatchMode=no",
        "-o", "LogLevel=ERROR",
        "-o", "IdentitiesOnly=yes",
        "-o", "ConnectTimeout=10",
        .. identity is null ? Array.Empty<string>() : ["-i", identity],
        portFlag, port.ToString(),
    ];

    public static Task<ProcessResult> SshAsync(GatewayFixture gateway, string user, string command, string? identity = null, IEnumerable<string>? extraOptions = null, Stream? input = null, Stream? output = null, TimeSpan? timeout = null) =>
        RunAsync("ssh", [.. CommonOptions(gateway.Port, identity ?? gateway.Ed25519Key), .. extraOptions ?? [], $"{user}@127.0.0.1", command], input, output, timeout);

    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, Stream? input = null, Stream? output = null, TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var feed = Task.Run(async () =>
        {
            try
            {
                if (input is not null) await input.CopyToAsync(process.StandardInput.BaseStream, deadline.Token);
            }
            catch (IOException)
            {
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
            }
        });
        var buffer = output is null ? new MemoryStream() : null;
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output ?? buffer!, deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(stdout, stderr, feed);
        }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time");
        }
        return new ProcessResult(process.ExitCode, buffer?.ToArray() ?? [], await stderr);
    }
}
