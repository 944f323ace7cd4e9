using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.SessionBroker.Posture.OverridingPosture;

/// <param name="Hours">How long sessions are let through, 1 to 72: an emergency measure, not a way to silence the policy.</param>
public sealed record OverridePostureRequest(string? Reason, int? Hours);

/// <summary>
/// <c>POST /api/posture/{target}/override</c>: lets new sessions reach a target the posture policy refuses, for a few
/// hours (the fix itself may need a session); users are still warned, and the override is an event with its reason.
/// </summary>
public static class OverridePosture
{
    public const int MaxHours = 72;

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/posture/{target}/override", async (string target, OverridePostureRequest? request, ApiCaller caller,
            IDocumentSession session, CancellationToken cancellationToken) =>
        {
            target = TargetNames.Normalise(target);
            var errors = new InputErrors();
            if (!TargetNames.IsValid(target))
            {
                errors.Add("target", "is not a valid target name");
            }

            var reason = errors.Required("reason", request?.Reason, 500);
            if (request?.Hours is not (>= 1 and <= MaxHours))
            {
                errors.Add("hours", $"must be between 1 and {MaxHours}");
            }

            if (errors.Any)
            {
                return (IResult)errors.ToResult();
            }

            var overridden = new TargetPostureOverridden(target, caller.Now.AddHours(request!.Hours!.Value), reason, caller.Name,
                caller.SourceAddress, caller.CorrelationId, EventIds.New(caller.Now), caller.Now);
            var streamId = TargetPosture.StreamId(target);
            if (await session.LoadAsync<TargetPosture>(streamId, cancellationToken) is null)
            {
                session.StartStreamWithAccessEvent(streamId, overridden);
            }
            else
            {
                session.AppendAccessEvent(streamId, overridden);
            }

            await session.SaveChangesAsync(cancellationToken);
            return Results.Ok(overridden);
        });
}
