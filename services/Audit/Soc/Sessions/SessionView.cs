using Gatehouse.Contracts;
using Marten.Events.Projections;

namespace Gatehouse.Audit.Soc.Sessions;

public sealed record SessionCommand(int Sequence, string CommandLine, bool Blocked, DateTimeOffset At);

/// <summary>A brokered session as the SOC reads it: who, where, from where, when, what they ran, and how it ended.</summary>
public sealed record SessionView
{
    public Guid Id { get; init; }
    public string UserName { get; init; } = "";
    public string Target { get; init; } = "";
    public string Login { get; init; } = "";
    public string? SourceAddress { get; init; }
    public string CorrelationId { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public List<SessionCommand> Commands { get; init; } = [];
    public long BytesFromClient { get; init; }
    public long BytesToClient { get; init; }
    public string? RecordingSha256 { get; init; }

    /// <summary>Where the gateway filed the recording, relative to its recordings folder (see <see cref="RecordingFiles"/>).</summary>
    public string? Recording { get; init; }
    public string? EndReason { get; init; }
    public int? ExitStatus { get; init; }

    /// <summary>Key exchange, cipher and host key algorithm between the user's client and the gateway; null for sessions started before they were recorded.</summary>
    public SshAlgorithms? ClientSsh { get; init; }

    /// <summary>The same between the gateway and the target.</summary>
    public SshAlgorithms? TargetSsh { get; init; }

    /// <summary>
    /// Whether both connections used a post-quantum key exchange, so a recording of either could not be decrypted later
    /// with a quantum computer; null when the gateway did not record it.
    /// </summary>
    public bool? PostQuantum => ClientSsh is null || TargetSsh is null ? null : ClientSsh.IsPostQuantum() && TargetSsh.IsPostQuantum();

    /// <summary>For a port forward (listed with the sessions, under its forwarding id): the destination host:port; null for a session.</summary>
    public string? ForwardedTo { get; init; }

    /// <summary>Where the SOC API serves the session's recording (asciicast v2); <see cref="RecordingSha256"/> checks it.</summary>
    public string RecordingLink => $"/api/audit/sessions/{Id:D}/recording";

    /// <summary>"open" while the session lasts, then how it ended.</summary>
    public string Outcome => EndedAt is null ? "open" : EndReason ?? "ended";
}

/// <summary>
/// Sessions built from the gateway's events by the async daemon (a search sees them within the daemon's latency).
/// Each audit stream holds one event, so the view groups them by session id across streams.
/// </summary>
public sealed class SessionViewProjection : MultiStreamProjection<SessionView, Guid>
{
    public SessionViewProjection()
    {
        Identity<SessionStarted>(e => e.SessionId);
        Identity<CommandExecuted>(e => e.SessionId);
        Identity<CommandBlocked>(e => e.SessionId);
        Identity<SessionEnded>(e => e.SessionId);
        Identity<ForwardingOpened>(e => e.ForwardingId);
        Identity<ForwardingClosed>(e => e.ForwardingId);
    }

    public SessionView Apply(ForwardingOpened e, SessionView view) => view with
    {
        Id = e.ForwardingId, UserName = e.UserName, Target = e.Target, Login = e.Login, SourceAddress = e.SourceAddress,
        CorrelationId = e.CorrelationId, StartedAt = e.OccurredAt, ForwardedTo = Destination(e.DestinationHost, e.DestinationPort),
    };

    // The closing event carries all the opening one does, so the forward reads whole whichever is stored first.
    public SessionView Apply(ForwardingClosed e, SessionView view) => view with
    {
        Id = e.ForwardingId, UserName = e.UserName, Target = e.Target, Login = e.Login, SourceAddress = e.SourceAddress ?? view.SourceAddress,
        CorrelationId = e.CorrelationId, StartedAt = view.StartedAt == default ? e.OpenedAt : view.StartedAt,
        ForwardedTo = Destination(e.DestinationHost, e.DestinationPort), EndedAt = e.OccurredAt,
        BytesFromClient = e.BytesFromClient, BytesToClient = e.BytesToClient, EndReason = e.EndReason.ToString(),
    };

    private static string Destination(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    public SessionView Apply(SessionStarted e, SessionView view) => view with
    {
        Id = e.SessionId, UserName = e.UserName, Target = e.Target, Login = e.Login, SourceAddress = e.SourceAddress,
        CorrelationId = e.CorrelationId, StartedAt = e.OccurredAt, ClientSsh = e.ClientSsh, TargetSsh = e.TargetSsh,
    };

    public SessionView Apply(CommandExecuted e, SessionView view) => WithCommand(view, e.SessionId, e.UserName, e.Target,
        new SessionCommand(e.Sequence, e.CommandLine, false, e.OccurredAt));

    public SessionView Apply(CommandBlocked e, SessionView view) => WithCommand(view, e.SessionId, e.UserName, e.Target,
        new SessionCommand(e.Sequence, e.CommandLine, true, e.OccurredAt));

    public SessionView Apply(SessionEnded e, SessionView view) => view with
    {
        Id = e.SessionId, UserName = e.UserName, Target = e.Target, Login = e.Login,
        StartedAt = view.StartedAt == default ? e.StartedAt : view.StartedAt,
        EndedAt = e.OccurredAt, BytesFromClient = e.BytesFromClient, BytesToClient = e.BytesToClient,
        RecordingSha256 = e.RecordingSha256, Recording = e.Recording, EndReason = e.EndReason.Spelling(), ExitStatus = e.ExitStatus,
    };

    // Commands can be stored before the session start they follow; the order is restored by their sequence.
    // They nearly always arrive in order, so the list is extended in place: copying it per command was quadratic.
    private static SessionView WithCommand(SessionView view, Guid sessionId, string user, string target, SessionCommand command)
    {
        var commands = view.Commands;
        var index = commands.Count;
        while (index > 0 && commands[index - 1].Sequence > command.Sequence)
        {
            index--;
        }

        if (index > 0 && commands[index - 1].Sequence == command.Sequence)
        {
            commands[index - 1] = command;
        }
        else
        {
            commands.Insert(index, command);
        }

        return view with
        {
            Id = sessionId,
            UserName = view.UserName.Length == 0 ? user : view.UserName,
            Target = view.Target.Length == 0 ? target : view.Target,
        };
    }
}
