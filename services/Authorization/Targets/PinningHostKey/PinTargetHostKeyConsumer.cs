using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.Vocabulary;
using Marten;
using MassTransit;

namespace Gatehouse.Authorization.Targets.PinningHostKey;

/// <summary>
/// Trust on first use: the gateway reports the key a target without a pinned key presented. Two gateways racing with
/// different keys both see the stream at the same version; only one append wins and the other is answered against it.
/// </summary>
public sealed class PinTargetHostKeyConsumer(IDocumentStore store, AccessIndexCache index, TimeProvider time)
    : IConsumer<PinTargetHostKey>
{
    public async Task Consume(ConsumeContext<PinTargetHostKey> context)
    {
        var request = context.Message;
        var key = HostKeys.Parse(request.HostKey);
        if (key is null)
        {
            await context.RespondAsync(new TargetHostKeyRejected(request.Target, "the presented host key is not a valid OpenSSH public key"));
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var name = TargetNames.Normalise(request.Target);
            var found = await session.Query<Target>().FirstOrDefaultAsync(t => t.Name == name && !t.Removed, context.CancellationToken);
            if (found is null)
            {
                await context.RespondAsync(new TargetHostKeyRejected(request.Target, $"there is no target named '{request.Target}'"));
                return;
            }

            var stream = await session.Events.FetchForWriting<Target>(found.Id, context.CancellationToken);
            var now = time.GetUtcNow();
            var outcome = HostKeyPinning.OnFirstUse(stream.Aggregate!, key, request.UserName, request.SourceAddress,
                request.CorrelationId, EventIds.New(now), now);
            switch (outcome)
            {
                case HostKeyPinning.Pinned pinned:
                    session.AppendAccessEvent(found.Id, pinned.Event);
                    try
                    {
                        await session.SaveChangesAsync(context.CancellationToken);
                    }
                    catch (Exception ex) when (StoreErrors.IsConflict(ex) && attempt == 0)
                    {
                        continue;
                    }

                    await index.CatchUpAfterChangeAsync(context.CancellationToken);
                    await context.RespondAsync(new TargetHostKeyAccepted(found.Name, key.Fingerprint, true));
                    return;
                case HostKeyPinning.AlreadyPinned already:
                    await context.RespondAsync(new TargetHostKeyAccepted(found.Name, already.Fingerprint, false));
                    return;
                case HostKeyPinning.Mismatch mismatch:
                    await context.RespondAsync(new TargetHostKeyRejected(found.Name, mismatch.Detail));
                    return;
            }
        }
    }
}
