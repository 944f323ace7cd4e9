using System.Diagnostics;
using System.Text;
using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Interactive;

public class WorkingInATerminal(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_follow_window_changes_and_interrupt_a_command_with_ctrl_c()
    {
        await using var terminal = await ClientTerminal.StartAsync(gateway);
        // Keys typed before the remote shell set up its terminal would be discarded, as for a person.
        await terminal.WaitForAsync("bash-");

        await terminal.TypeAsync("stty size\r");
        await terminal.WaitForAsync("24 80");

        terminal.Resize(120, 40);
        await WaitUntilAsync(() => gateway.Hooks.Requests.OfType<SshWindowChangeRequest>().Any(r => r.Size.Columns == 120));
        await terminal.TypeAsync("stty size\r");
        await terminal.WaitForAsync("40 120");

        await terminal.TypeAsync("sleep 30; echo not-interrupted\r");
        await Task.Delay(500);
        await terminal.TypeAsync("\x03");
        await terminal.TypeAsync("echo status=$?\r");
        await terminal.WaitForAsync("status=130");

        await terminal.TypeAsync("exit 5\r");
        Assert.Equal(5, await terminal.WaitForExitAsync());
        Assert.DoesNotContain("\nnot-interrupted", terminal.Output);
        Assert.Contains(gateway.Hooks.Requests, r => r is SshPtyRequest { Size.Columns: 80, Size.Rows: 24 });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("condition not met");
            await Task.Delay(50);
        }
    }

    /// <summary>The real ssh client running on its own pseudo-terminal, as a person would use it.</summary>
    private sealed class ClientTerminal : IAsyncDisposable
    {
        private readonly Pty _pty;
        private readonly Process _ssh;
        private readonly StringBuilder _output = new();
        private readonly Task _reader;

        private ClientTerminal(Pty pty, Process ssh)
        {
            _pty = pty;
            _ssh = ssh;
            _reader = Task.Factory.StartNew(() =>
            {
                var buffer = new byte[4096];
                try
                {
                    int read;
                    while ((read = _pty.Reader.Read(buffer)) > 0)
                    {
                        lock (_output) _output.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                }
                catch (IOException)
                {
                }
            }, TaskCreationOptions.LongRunning);
        }

        public string Output
        {
            get
            {
                lock (_output) return _output.ToString();
            }
        }

        public static Task<ClientTerminal> StartAsync(GatewayFixture gateway)
        {
            var pty = Pty.Open(80, 24);
            string[] arguments = ["ssh", "-tt", .. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key), $"{LocalShellHooks.KeyUser}@127.0.0.1"];
            var ssh = string.Join(" ", arguments);
            var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", $"exec setsid -c {ssh} <\"$TTY\" >\"$TTY\" 2>&1" } };
            start.Environment["TTY"] = pty.SlavePath;
            start.Environment["TERM"] = "dumb";
            return Task.FromResult(new ClientTerminal(pty, Process.Start(start)!));
        }

        public async Task TypeAsync(string keys)
        {
            await _pty.Writer.WriteAsync(Encoding.UTF8.GetBytes(keys));
            await _pty.Writer.FlushAsync();
        }

        public void Resize(uint columns, uint rows) => _pty.Resize(columns, rows);

        public async Task WaitForAsync(string text)
        {
            var clock = Stopwatch.StartNew();
            while (!Output.Contains(text))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"'{text}' never appeared in:\n{Output}");
                await Task.Delay(50);
            }
        }

        public async Task<int> WaitForExitAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _ssh.WaitForExitAsync(deadline.Token);
            return _ssh.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_ssh.HasExited) _ssh.Kill(true);
            await _ssh.WaitForExitAsync();
            _pty.Dispose();
            await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _ssh.Dispose();
        }
    }
}
