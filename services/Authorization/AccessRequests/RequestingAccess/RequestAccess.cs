using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authorization.AccessRequests.RequestingAccess;

public sealed record RequestAccessRequest(string? Target, string? Login, TimeSpan? Duration, string? Reason);

/// <summary>Any signed-in user asks for just-in-time access for themselves; the token's subject is the requester.</summary>
public static class RequestAccess
{
    public static void Map(IEndpointRouteBuilder api) => api.MapPost("/access-requests", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, RequestAccessRequest body, IDocumentSession session,
        AccessIndexCache index, IOptions<AuthorizationSettings> settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var targetName = errors.TargetName("target", body.Target);
        var login = errors.Login("login", body.Login);
        var reason = errors.Required("reason", body.Reason, 1000);
        var longest = settings.Value.MaxAccessRequestDuration;
        if (body.Duration is not { } duration || duration < TimeSpan.FromMinutes(1) || duration > longest)
        {
            errors.Add("duration", $"must be between 00:01:00 and {longest}");
        }

        if (!errors.Any)
        {
            var target = index.Current.FindTarget(targetName);
            if (target is null)
            {
                errors.Add("target", $"there is no target named '{targetName}'");
            }
            else if (!target.Logins.Contains(login))
            {
                errors.Add("login", $"target {targetName} has no login '{login}'");
            }
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var now = caller.Now;
        var requested = new AccessRequested(Guid.NewGuid(), caller.Name, targetName, login, body.Duration!.Value, reason,
            caller.Name, caller.SourceAddress, caller.CorrelationId, EventIds.New(now), now);
        session.StartStreamWithAccessEvent(requested.RequestId, requested);
        await session.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/access-requests/{requested.RequestId}", AccessRequest.Create(requested));
    }
}
