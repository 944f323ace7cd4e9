using System.Diagnostics;
using System.Text;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>An ssh session kept open (remote pty, -tt) so a test can type, wait for output, and type again.</summary>
public sealed class InteractiveSsh : IAsyncDisposable
{
    private readonly Process _ssh;
    private readonly StringBuilder _output = new();
    private readonly Task _reader;

    private InteractiveSsh(Process ssh)
    {
        _ssh = ssh;
        _reader = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            int read;
            while ((read = await _ssh.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
            {
                lock (_output)
                {
                    _output.Append(Encoding.UTF8.GetString(buffer, 0, read));
                }
            }
        });
        _ = _ssh.StandardError.ReadToEndAsync();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="port">Another gateway instance's port (ssh takes the first -p it is given, so it replaces the stack's).</param>
    public static InteractiveSsh Start(GatehouseStack stack, GatehouseUser user, string target, string? command = null,
        IEnumerable<string>? extraOptions = null, int? port = null)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var options = OpenSsh.Options(stack, user);
        if (port is { } other)
        {
            options[options.IndexOf("-p") + 1] = other.ToString();
        }

        foreach (var argument in options.Concat(extraOptions ?? []).Append("-tt").Append(OpenSsh.Destination(user, target))
                     .Concat(command is null ? [] : [command]))
        {
            start.ArgumentList.Add(argument);
        }

        return new InteractiveSsh(Process.Start(start)!);
    }

    /// <summary>ssh with the given arguments as they are (a ProxyJump client's config and destination, say); add -tt for a pty.</summary>
    public static InteractiveSsh StartWith(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new InteractiveSsh(Process.Start(start)!);
    }

    public async Task TypeAsync(string keys)
    {
        await _ssh.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(keys));
        await _ssh.StandardInput.BaseStream.FlushAsync();
    }

    /// <summary>Waits for <paramref name="text"/> in the output, or in what came after the first <paramref name="from"/> characters.</summary>
    public async Task WaitForAsync(string text, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        while (Output.IndexOf(text, from, StringComparison.Ordinal) < 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"'{text}' never appeared in:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _ssh.WaitForExitAsync(deadline.Token);
        return _ssh.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ssh.HasExited)
        {
            _ssh.Kill(true);
        }

        await _ssh.WaitForExitAsync();
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _ssh.Dispose();
    }
}
