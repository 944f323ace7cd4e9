using System.Diagnostics;
using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.Audit.Storing;

/// <summary>Records one access event in the audit store; redelivery of an event already stored changes nothing.</summary>
public sealed class AccessEventConsumer<TEvent>(AuditWriter writer, TimeProvider clock, ILogger<AccessEventConsumer<TEvent>> logger)
    : IConsumer<TEvent> where TEvent : class, IAccessEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var accessEvent = context.Message;
        AccessEventValidation.EnsureValid(accessEvent, context.MessageId, clock.GetUtcNow());

        var outcome = await writer.RecordAsync(accessEvent, Activity.Current?.Id, context.CancellationToken);
        if (outcome == RecordOutcome.AlreadyRecorded)
        {
            logger.LogDebug("{Type} {EventId} was already in the audit store; redelivery ignored",
                typeof(TEvent).Name, accessEvent.EventId);
        }
    }
}
