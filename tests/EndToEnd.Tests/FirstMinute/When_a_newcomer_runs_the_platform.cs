using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.FirstMinute;

/// <summary>
/// The README's run command as a newcomer types it: ./deploy/run.sh builds and starts the platform, starts the demo
/// target, seeds the demo and prints one ssh line that works as printed. The script runs on a database, a virtual host
/// and a state folder of its own, so it meets the new machine a newcomer has, whatever this one holds.
/// </summary>
public sealed class When_a_newcomer_runs_the_platform : IAsyncLifetime
{
    // The architecture's ports: the four services, the gateway and the demo target.
    private static readonly int[] StandardPorts = [5101, 5102, 5103, 5104, 2222, 2200];

    private readonly string _work = Directory.CreateTempSubdirectory("gatehouse-first-minute-").FullName;
    private readonly string _database = $"gatehouse_first_minute_{Guid.NewGuid():N}"[..40];
    private readonly StringBuilder _scriptLog = new();
    private Process? _run;

    [RootFact("let deploy/run.sh install and start system services")]
    public async Task Should_reach_the_demo_target_through_the_gateway_with_the_printed_ssh_line()
    {
        var busy = StandardPorts.Where(Listening).ToList();
        Assert.True(busy.Count == 0, $"ports {string.Join(", ", busy)} are taken: is ./deploy/run.sh running on this machine already?");

        _run = StartRunScript();
        var line = await PrintedSshLineAsync(_run);
        var session = await Processes.RunAsync("/bin/sh", ["-c", line], Encoding.UTF8.GetBytes("echo first-minute; id -un; exit 7\n"));
        // run.sh installed the CLI as a command; with the token demo.sh left it answers from the services run.sh started.
        var users = await Processes.RunAsync(Path.Combine(Prefix, "bin", "gatehouse"), ["users", "list"], environment: new Dictionary<string, string>
        {
            ["GATEHOUSE_TOKEN"] = "",
            ["GATEHOUSE_TOKEN_FILE"] = Path.Combine(State, "demo", "admin-token"),
            ["GATEHOUSE_AUTHENTICATION_URL"] = "http://127.0.0.1:5101/",
        });
        var exit = await StopAsync(_run);

        Assert.True(session.ExitCode == 7, $"'{line}' ended with {session.ExitCode}: {session.Error}\n{Diagnostics()}");
        Assert.Equal($"first-minute\n{Environment.UserName}\n", session.Text);
        Assert.True(users.ExitCode == 0, $"gatehouse users list ended with {users.ExitCode}: {users.Error}\n{Diagnostics()}");
        Assert.Contains("\"demo\"", users.Text);
        Assert.True(exit == 0, $"run.sh ended with {exit} after SIGTERM\n{Diagnostics()}");
        Assert.False(Listening(2200), "the demo target still listens after run.sh stopped");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_run is { HasExited: false })
        {
            await StopAsync(_run);
        }

        await Processes.RunAsync(Path.Combine(Infrastructure.RepositoryRoot, "deploy", "demo.sh"), ["stop"],
            environment: new Dictionary<string, string> { ["GATEHOUSE_STATE"] = State });
        await Infrastructure.DropDatabaseAsync(_database);
        Directory.Delete(_work, recursive: true);
    }

    private string State => Path.Combine(_work, "state");

    // Where run.sh installs the CLI command: the test's own, not the machine's /usr/local.
    private string Prefix => Path.Combine(_work, "prefix");

    private Dictionary<string, string> ScriptEnvironment() => new()
    {
        ["GATEHOUSE_STATE"] = State,
        ["GATEHOUSE_DATABASE"] = _database,
        ["GATEHOUSE_VHOST"] = Infrastructure.TestVirtualHost,
        ["GATEHOUSE_PREFIX"] = Prefix,
    };

    private Process StartRunScript()
    {
        var start = new ProcessStartInfo(Path.Combine(Infrastructure.RepositoryRoot, "deploy", "run.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A newcomer's shell has none of the settings other tests in this process set (the in-process stack's JWKS
        // address, the CLI's token and service addresses): the services and the CLI would follow them.
        foreach (var name in start.Environment.Keys.Where(InheritedSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in ScriptEnvironment())
        {
            start.Environment[name] = value;
        }

        var run = Process.Start(start)!;
        run.ErrorDataReceived += (_, e) =>
        {
            lock (_scriptLog)
            {
                _scriptLog.AppendLine(e.Data);
            }
        };
        run.BeginErrorReadLine();
        return run;
    }

    private static bool InheritedSetting(string name) =>
        name != "GATEHOUSE_SECRETS"
        && new[] { "Gatehouse__", "GATEHOUSE_", "ConnectionStrings__", "ASPNETCORE_", "OTEL_" }.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one line run.sh prints on stdout; its progress goes to stderr.</summary>
    private async Task<string> PrintedSshLineAsync(Process run)
    {
        // run.sh builds the whole solution first, which takes minutes on a busy machine.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        try
        {
            while (await run.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("ssh ", StringComparison.Ordinal))
                {
                    return line;
                }
            }

            await run.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"run.sh printed no ssh line within 12 minutes\n{Diagnostics()}");
        }

        throw new InvalidOperationException($"run.sh ended ({run.ExitCode}) without printing an ssh line\n{Diagnostics()}");
    }

    /// <summary>What an operator stopping run.sh does (Ctrl-C in a terminal, SIGTERM from a supervisor).</summary>
    private static async Task<int> StopAsync(Process run)
    {
        await Processes.CheckAsync("kill", "-TERM", run.Id.ToString());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await run.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
        }

        return run.ExitCode;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string Diagnostics()
    {
        var text = new StringBuilder("run.sh said:\n");
        lock (_scriptLog)
        {
            text.Append(_scriptLog);
        }

        var logs = Path.Combine(State, "logs");
        foreach (var log in Directory.Exists(logs) ? Directory.GetFiles(logs) : [])
        {
            // Failures and warnings with the first line of their message, then how the log ends.
            var lines = File.ReadAllLines(log);
            var notable = lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("fail:") || l.line.StartsWith("warn:"))
                .SelectMany(l => lines.Skip(l.i).Take(2));
            text.Append($"--- {Path.GetFileName(log)}: failures and warnings, then the last lines\n");
            text.AppendJoin('\n', notable.Concat(lines.TakeLast(10))).Append('\n');
        }

        return text.ToString();
    }
}
