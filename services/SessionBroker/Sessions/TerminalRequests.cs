using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// What the user asked of a session channel before it started (a pty, environment variables) and its window size as it
/// changes: asked of the target's channel in turn when that opens, before it starts the shell, command or subsystem.
/// </summary>
public sealed class TerminalRequests
{
    /// <summary>The environment the gateway passes on: locale and time zone, nothing that changes what runs.</summary>
    private static readonly string[] ForwardedEnvironment = ["LANG", "LC_", "TZ", "COLORTERM"];

    private readonly List<SshEnvRequest> _environment = [];

    public SshPtyRequest? Pty { get; private set; }

    public SshTerminalSize? Size { get; private set; }

    /// <summary>Columns and rows for the recording: the terminal's, else a common default.</summary>
    public (int Columns, int Rows) RecordedSize => ((int)(Size?.Columns ?? 80), (int)(Size?.Rows ?? 24));

    public void Ask(SshPtyRequest pty) => (Pty, Size) = (pty, pty.Size);

    public void Ask(SshEnvRequest env) => _environment.Add(env);

    public void Resized(SshTerminalSize size) => Size = size;

    /// <summary>Asks the target's channel for the same pty and the environment passed on, then starts what the user asked for.</summary>
    public bool StartOn(TargetChannel target, SessionKind kind, string? command)
    {
        if (Pty is { } pty && Size is { } size)
        {
            target.RequestPty(pty.Terminal, size.Columns, size.Rows, size.WidthPixels, size.HeightPixels,
                TerminalModeDecoder.Decode(pty.EncodedModes.Span));
        }

        foreach (var env in _environment.Where(e => ForwardedEnvironment.Any(prefix => e.Name.StartsWith(prefix, StringComparison.Ordinal))))
        {
            target.SetEnvironment(env.Name, env.Value);
        }

        return kind switch
        {
            SessionKind.Shell => target.StartShell(),
            SessionKind.Exec => target.Execute(command!),
            _ => target.StartSubsystem(command!),
        };
    }
}
