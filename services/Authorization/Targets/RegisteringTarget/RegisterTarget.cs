using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authorization.Targets.RegisteringTarget;

/// <param name="HostKey">The target's OpenSSH host key; leave it out to trust the first key the gateway sees.</param>
public sealed record RegisterTargetRequest(
    string? Name,
    string? Address,
    int? Port,
    Dictionary<string, string>? Labels,
    string[]? Logins,
    string? HostKey);

public static class RegisterTarget
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/targets", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, RegisterTargetRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var name = errors.TargetName("name", body.Name);
        var (address, port, labels, logins) = TargetInput.Validate(errors, body.Address, body.Port, body.Labels, body.Logins);
        var hostKey = body.HostKey is null ? null : HostKeys.Parse(body.HostKey);
        if (body.HostKey is not null && hostKey is null)
        {
            errors.Add("hostKey", "is not an OpenSSH public key line such as 'ssh-ed25519 AAAA...'");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await session.Query<Target>().AnyAsync(t => t.Name == name, cancellationToken))
        {
            return ApiProblems.Conflict($"A target named {name} is already registered");
        }

        var now = caller.Now;
        var registered = new TargetRegistered(Guid.NewGuid(), name, address, port, labels, logins, hostKey?.Canonical,
            caller.Name, caller.SourceAddress, caller.CorrelationId, EventIds.New(now), now);
        session.StartStreamWithAccessEvent(registered.TargetId, registered);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return ApiProblems.Conflict($"A target named {name} is already registered");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.Created($"/api/targets/{name}", Target.Create(registered));
    }
}
