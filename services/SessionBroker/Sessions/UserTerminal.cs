using System.Text;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.Ssh;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>The user's side of a session channel as the gateway speaks on it: its own lines, and how the channel exits.</summary>
public sealed class UserTerminal(SshChannel client)
{
    /// <summary>
    /// The exit status of a session the gateway ended (terminated, maximum length, grant expiry, idle, error), whatever
    /// the target said: like ssh's own errors, so a script never takes a cut-off session for a success.
    /// </summary>
    public const int EndedByGatewayStatus = 255;

    public const string StoreUnavailable = "gatehouse: the session cannot be recorded right now (the session store is unavailable), so it is refused";

    /// <summary>Whether the user asked for a pty: then the gateway's lines go to the terminal, else to stderr.</summary>
    public bool OnTerminal { get; set; }

    /// <summary>The session's recording, once it started: the gateway's lines are recorded like the target's output.</summary>
    public AsciicastRecorder? Recorder { get; set; }

    /// <summary>
    /// Shows the user one line from the gateway (on their terminal, else stderr), and records it like the target's output.
    /// The line may carry what others wrote (a terminate reason from the bus, a target's name): its control characters are
    /// replaced, so it cannot drive the user's terminal.
    /// </summary>
    public async Task TellAsync(string message)
    {
        var line = Encoding.UTF8.GetBytes((OnTerminal ? "\r\n" : "") + Printable.Of(message) + (OnTerminal ? "\r\n" : "\n"));
        try
        {
            if (Recorder is { Completed: false } recorder)
            {
                await recorder.OutputAsync(line);
            }

            // On a pty the user has one stream, the terminal; without one, the gateway's word goes to stderr.
            await (OnTerminal ? client.WriteAsync(line) : client.WriteErrorAsync(line));
        }
        catch (Exception e) when (IsGone(e))
        {
            // The user is gone already.
        }
    }

    /// <summary>
    /// Marks a command in the recording at the moment it is recorded (an asciicast marker, <c>[t, "m", label]</c>): players
    /// seek to it and <c>asciinema play -m</c> stops there; the recording's SHA-256 covers it like the output.
    /// </summary>
    public async ValueTask MarkAsync(string label)
    {
        if (Recorder is { Completed: false } recorder)
        {
            await recorder.MarkerAsync(label);
        }
    }

    /// <summary>Passes on how the command ended, unless the gateway ended the session (it told the user why).</summary>
    public async Task ExitAsync(int? exitStatus, string? exitSignal, bool endedByGateway)
    {
        try
        {
            if (endedByGateway)
            {
                await client.ExitAsync(EndedByGatewayStatus);
            }
            else if (exitSignal is not null)
            {
                await client.ExitWithSignalAsync(exitSignal, false, "");
            }
            else
            {
                await client.ExitAsync(exitStatus ?? 0);
            }
        }
        catch (Exception e) when (IsGone(e))
        {
            // The user is gone already.
        }
    }

    public async Task ExitQuietlyAsync(int status)
    {
        try
        {
            await client.ExitAsync(status);
        }
        catch (Exception e) when (IsGone(e))
        {
            // The user is gone already.
        }
    }

    public static bool IsGone(Exception e) => e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException;
}
