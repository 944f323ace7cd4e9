using Gatehouse.Contracts.Sessions;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.ListingSessions;

/// <summary>Answers <see cref="FindLiveSessions"/> with what this instance holds; every instance receives the question.</summary>
public sealed class FindLiveSessionsConsumer(LiveSessions live) : IConsumer<FindLiveSessions>
{
    public Task Consume(ConsumeContext<FindLiveSessions> context) =>
        context.RespondAsync(new LiveSessionsHeld(context.Message.AskId, live.Instance, live.List(), live.Forwards()));
}
