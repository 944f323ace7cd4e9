using Gatehouse.Contracts.Sessions;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.TerminatingSession;

/// <summary>Obeys <see cref="TerminateSession"/> from the bus.</summary>
public sealed class TerminateSessionConsumer(LiveSessions sessions, ILogger<TerminateSessionConsumer> logger) : IConsumer<TerminateSession>
{
    public async Task Consume(ConsumeContext<TerminateSession> context)
    {
        var command = context.Message;
        if (string.IsNullOrWhiteSpace(command.RequestedBy) || string.IsNullOrWhiteSpace(command.Reason))
        {
            throw new ArgumentException("TerminateSession needs who asks (RequestedBy) and why (Reason)");
        }

        if (!await sessions.TerminateAsync(command.SessionId, command.RequestedBy, command.Reason, context.CancellationToken))
        {
            // Every gateway instance receives the command; the one holding the session ends it.
            logger.LogInformation("TerminateSession for {SessionId} from {RequestedBy}: not a live session on this instance",
                command.SessionId, command.RequestedBy);
        }
    }
}
