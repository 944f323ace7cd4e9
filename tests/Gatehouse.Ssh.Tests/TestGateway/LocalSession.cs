using System.Diagnostics;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>Runs what a session asks for as a local process: with a pty when one was requested, else with pipes.</summary>
internal sealed class LocalSession(LocalShellHooks hooks) : ISshSessionHandler
{
    private const string SftpServer = "/usr/lib/openssh/sftp-server";

    private readonly Dictionary<string, string> _environment = [];
    private SshPtyRequest? _ptyRequest;
    private Pty? _pty;
    private Process? _process;
    private string? _deliveredSignal;

    public ValueTask<bool> HandleRequestAsync(SshChannel channel, SshSessionRequest request, CancellationToken cancellationToken)
    {
        hooks.Requests.Enqueue(request);
        switch (request)
        {
            case SshPtyRequest pty:
                _ptyRequest = pty;
                return ValueTask.FromResult(true);
            case SshEnvRequest env:
                _environment[env.Name] = env.Value;
                return ValueTask.FromResult(true);
            case SshShellRequest when _process is null:
                Start(channel, null);
                return ValueTask.FromResult(true);
            case SshExecRequest exec when _process is null:
                Start(channel, exec.Command);
                return ValueTask.FromResult(true);
            case SshSubsystemRequest { Name: "sftp" } when _process is null:
                StartPiped(channel, SftpServer, []);
                return ValueTask.FromResult(true);
            case SshWindowChangeRequest change when _pty is not null:
                _pty.Resize(change.Size.Columns, change.Size.Rows);
                return ValueTask.FromResult(true);
            case SshSignalRequest signal when _process is { HasExited: false }:
                _deliveredSignal = signal.Signal;
                Process.Start("kill", ["-" + signal.Signal, _process.Id.ToString()])!.WaitForExit();
                return ValueTask.FromResult(true);
            case SshBreakRequest:
                return ValueTask.FromResult(true);
            default:
                return ValueTask.FromResult(false);
        }
    }

    private void Start(SshChannel channel, string? command)
    {
        if (_ptyRequest is null)
        {
            StartPiped(channel, "/bin/sh", command is null ? ["-i"] : ["-c", command]);
            return;
        }

        _pty = Pty.Open((ushort)_ptyRequest.Size.Columns, (ushort)_ptyRequest.Size.Rows);
        // setsid -c makes the terminal on stdin the controlling terminal, so Ctrl-C becomes SIGINT.
        var inner = command is null ? "exec setsid -c bash --norc --noprofile -i" : "exec setsid -c bash --norc --noprofile -c \"$CMD\"";
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", inner + " <\"$TTY\" >\"$TTY\" 2>&1" } };
        start.Environment["TTY"] = _pty.SlavePath;
        start.Environment["TERM"] = _ptyRequest.Terminal;
        if (command is not null) start.Environment["CMD"] = command;
        foreach (var (name, value) in _environment) start.Environment[name] = value;
        _process = Process.Start(start)!;
        var pty = _pty;
        var process = _process;
        _ = Relay.ChannelToAsync(channel, pty.Writer);
        _ = Task.Run(async () =>
        {
            var output = Relay.TerminalToChannelAsync(pty.Reader, channel);
            await process.WaitForExitAsync();
            pty.HangUp();
            await output;
            await ExitAsync(channel, process);
            pty.Dispose();
        });
    }

    private void StartPiped(SshChannel channel, string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in _environment) start.Environment[name] = value;
        _process = Process.Start(start)!;
        var process = _process;
        _ = Relay.ChannelToAsync(channel, process.StandardInput.BaseStream);
        _ = Task.Run(async () =>
        {
            await Task.WhenAll(
                Relay.ToChannelAsync(process.StandardOutput.BaseStream, channel, false),
                Relay.ToChannelAsync(process.StandardError.BaseStream, channel, true));
            await process.WaitForExitAsync();
            await ExitAsync(channel, process);
        });
    }

    private async Task ExitAsync(SshChannel channel, Process process)
    {
        try
        {
            // .NET reports death by signal N as exit code 128 + N.
            if (_deliveredSignal is not null && process.ExitCode > 128) await channel.ExitWithSignalAsync(_deliveredSignal, false, "");
            else await channel.ExitAsync(process.ExitCode);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        process.Dispose();
    }
}
