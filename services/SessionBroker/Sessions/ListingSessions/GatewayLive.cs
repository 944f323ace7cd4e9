using System.Collections.Concurrent;
using System.Threading.Channels;
using Gatehouse.Contracts.Sessions;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.ListingSessions;

/// <summary>What the gateway's instances answered, and those expected that did not (their sessions are unknown, not absent).</summary>
public sealed record GatewayAnswers(IReadOnlyList<LiveSessionsHeld> Answers, IReadOnlyList<string> Silent)
{
    public IEnumerable<LiveSession> Sessions => Answers.SelectMany(a => a.Sessions).OrderBy(s => s.StartedAt);

    public IEnumerable<LiveForward> Forwards => Answers.SelectMany(a => a.Forwards).OrderBy(f => f.OpenedAt);

    public bool Holds(Guid id) => Answers.Any(a => a.Sessions.Any(s => s.SessionId == id) || a.Forwards.Any(f => f.ForwardingId == id));

    /// <summary>Why the answer is not the whole gateway's, for a 503; null when every expected instance answered.</summary>
    public string? Incomplete => Silent.Count == 0 ? null
        : $"Gateway instance{(Silent.Count == 1 ? "" : "s")} {string.Join(", ", Silent)} did not answer within the wait: what {(Silent.Count == 1 ? "it holds" : "they hold")} is unknown";
}

/// <summary>
/// The live sessions and forwards of the whole gateway, from any instance: <see cref="FindLiveSessions"/> is published
/// (each instance has a queue of its own) and the answers are gathered for a short while. Which instances to wait for
/// is learned from their answers (kept <see cref="RosterKept"/>, or until the instance says it is stopping:
/// <see cref="GatewayInstanceStopping"/>), since nothing else lists them: the gather ends when
/// every instance heard from recently has answered (this one included, which proves the round trip over the bus), and
/// any of them still silent at <see cref="Wait"/> is named. An instance started since the last question may answer
/// after the gather ended; it is waited for from the next question on.
/// </summary>
public sealed class GatewayLive(IBus bus, LiveSessions own, TimeProvider clock, ILogger<GatewayLive> logger)
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    /// <summary>After the expected instances answered, a moment longer for one not yet known.</summary>
    public static readonly TimeSpan Newcomers = TimeSpan.FromMilliseconds(200);

    /// <summary>How long an instance that stopped answering without saying it stops (a crash) is still waited for and named.</summary>
    public static readonly TimeSpan RosterKept = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _roster = new(StringComparer.Ordinal);

    /// <param name="enough">Ends the gather at the first answer that settles the question (the instance holding a session).</param>
    public async Task<GatewayAnswers> AskAsync(Func<LiveSessionsHeld, bool>? enough, CancellationToken cancellationToken)
    {
        var askId = Guid.NewGuid();
        var started = clock.GetUtcNow();
        foreach (var (instance, seen) in _roster)
        {
            if (started - seen > RosterKept)
            {
                _roster.TryRemove(instance, out _);
            }
        }

        var expected = _roster.Keys.Append(own.Instance).ToHashSet(StringComparer.Ordinal);
        var arriving = Channel.CreateUnbounded<LiveSessionsHeld>();
        var handle = bus.ConnectHandler<LiveSessionsHeld>(context =>
        {
            if (context.Message.AskId == askId)
            {
                arriving.Writer.TryWrite(context.Message);
            }

            return Task.CompletedTask;
        });
        var answers = new Dictionary<string, LiveSessionsHeld>(StringComparer.Ordinal);
        try
        {
            try
            {
                using var publishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                publishing.CancelAfter(Wait);
                await bus.Publish(new FindLiveSessions(askId), context => context.ResponseAddress = bus.Address, publishing.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Could not ask the gateway instances for their live sessions");
                return new GatewayAnswers([], expected.Order().ToList());
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            waiting.CancelAfter(Wait);
            DateTimeOffset? allExpected = null;
            try
            {
                while (true)
                {
                    using var step = CancellationTokenSource.CreateLinkedTokenSource(waiting.Token);
                    if (allExpected is { } since)
                    {
                        step.CancelAfter(Max(Newcomers - (clock.GetUtcNow() - since), TimeSpan.Zero));
                    }

                    var answer = await arriving.Reader.ReadAsync(step.Token);
                    answers[answer.Instance] = answer;
                    _roster[answer.Instance] = clock.GetUtcNow();
                    if (enough?.Invoke(answer) == true)
                    {
                        break;
                    }

                    if (allExpected is null && expected.IsSubsetOf(answers.Keys))
                    {
                        allExpected = clock.GetUtcNow();
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The wait (or the moment for newcomers) is over: what answered is the answer.
            }
        }
        finally
        {
            handle.Disconnect();
        }

        var holderFound = enough is not null && answers.Values.Any(enough);
        return new GatewayAnswers(answers.Values.OrderBy(a => a.Instance, StringComparer.Ordinal).ToList(),
            holderFound ? [] : expected.Where(e => !answers.ContainsKey(e)).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>An instance said it is stopping: its answer is no longer waited for.</summary>
    public void Forget(string instance) => _roster.TryRemove(instance, out _);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>Forgets an instance that says it is stopping.</summary>
public sealed class GatewayInstanceStoppingConsumer(GatewayLive gateway) : IConsumer<GatewayInstanceStopping>
{
    public Task Consume(ConsumeContext<GatewayInstanceStopping> context)
    {
        gateway.Forget(context.Message.Instance);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Says so on the bus when this instance stops, so the others do not answer 503 for want of it. Registered after the
/// bus, so it stops first, while the bus still runs.
/// </summary>
public sealed class AnnouncingStop(IBus bus, LiveSessions own, ILogger<AnnouncingStop> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bus.Publish(new GatewayInstanceStopping(own.Instance), cancellationToken);
        }
        catch (Exception e)
        {
            // The others wait for this instance until RosterKept passes, naming it: an answer late, never a wrong one.
            logger.LogWarning(e, "Could not tell the other gateway instances that {Instance} stops", own.Instance);
        }
    }
}
