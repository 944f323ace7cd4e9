using System.Diagnostics;
using System.Text;

namespace Gatehouse.Authentication.Tests.Cli;

public sealed record CliResult(int Exit, string Out, string Error)
{
    public override string ToString() => $"exit {Exit}\nstdout: {Out}\nstderr: {Error}";
}

/// <summary>
/// The real <c>gatehouse</c> tool as an operator runs it: its own process, the service's address and the token file
/// in the environment, passwords and codes on standard input (read as lines when it is not a terminal).
/// </summary>
public sealed class GatehouseCli(Uri authenticationUrl, string? tokenFile = null)
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "gatehouse.dll");

    public GatehouseCli WithToken(string file) => new(authenticationUrl, file);

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Runs with <paramref name="input"/> on standard input: passwords and codes, one a line.</summary>
    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        await using var running = Start(args);
        await running.WriteAsync(input);
        return await running.ExitAsync();
    }

    /// <summary>A run to talk to: read what it printed, then answer (the enrollment prints a secret, then waits for a code).</summary>
    public RunningCli Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GATEHOUSE_AUTHENTICATION_URL"] = authenticationUrl.ToString();
        start.Environment.Remove("GATEHOUSE_TOKEN");
        start.Environment.Remove("GATEHOUSE_TOKEN_FILE");
        if (tokenFile is not null)
        {
            start.Environment["GATEHOUSE_TOKEN_FILE"] = tokenFile;
        }

        return new RunningCli(Process.Start(start)!);
    }
}

public sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly Task _reading;

    public RunningCli(Process process)
    {
        _process = process;
        _reading = Task.WhenAll(Pump(process.StandardOutput, _out), Pump(process.StandardError, _error));
    }

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public async Task<string> WaitForOutputAsync(Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done(Out))
        {
            Assert.True(DateTime.UtcNow < deadline && !_process.HasExited, $"gatehouse did not print what was expected: {Out}{_error}");
            await Task.Delay(50);
        }

        return Out;
    }

    public async Task WriteAsync(string input)
    {
        await _process.StandardInput.WriteAsync(input);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<CliResult> ExitAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _process.WaitForExitAsync(timeout.Token);
        await _reading;
        string error;
        lock (_error)
        {
            error = _error.ToString();
        }

        return new CliResult(_process.ExitCode, Out, error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _reading;
        _process.Dispose();
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
