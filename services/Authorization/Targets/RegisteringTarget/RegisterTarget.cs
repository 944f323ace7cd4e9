using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authorization.Targets.RegisteringTarget;

/// <param name="HostKey">The target's OpenSSH host key; leave it out to trust the first key the gateway sees.</param>
/// <param name="TrustsGatehouseUserCa">The target trusts Gatehouse's user CA (TrustedUserCAKeys): the gateway needs no vaulted credential.</param>
/// <param name="HostCertificateAuthorities">CA public keys that sign the target's host certificate; instead of a host key, never with one.</param>
public sealed record RegisterTargetRequest(
    string? Name,
    string? Address,
    int? Port,
    Dictionary<string, string>? Labels,
    string[]? Logins,
    string? HostKey,
    bool? TrustsGatehouseUserCa = null,
    string[]? HostCertificateAuthorities = null);

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

        var hostCas = HostCas(errors, body.HostCertificateAuthorities, body.HostKey is not null);
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
            caller.Name, caller.SourceAddress, caller.CorrelationId, EventIds.New(now), now, body.TrustsGatehouseUserCa ?? false, hostCas);
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

    /// <summary>Host CA keys in canonical form; null when none were given. A pinned key and host CAs exclude each other.</summary>
    public static IReadOnlyList<string>? HostCas(InputErrors errors, string[]? lines, bool hostKeyGiven)
    {
        if (lines is null)
        {
            return null;
        }

        if (hostKeyGiven)
        {
            errors.Add("hostCertificateAuthorities", "give either a host key to pin or host CAs, not both");
        }

        if (lines.Length is 0 or > 8)
        {
            errors.Add("hostCertificateAuthorities", "name 1 to 8 CA public keys");
            return null;
        }

        var keys = new List<string>();
        foreach (var line in lines)
        {
            if (HostKeys.Parse(line) is { } key)
            {
                keys.Add(key.Canonical);
            }
            else
            {
                errors.Add("hostCertificateAuthorities", "each is an OpenSSH public key line such as 'ssh-ed25519 AAAA...'");
            }
        }

        return keys.Distinct().ToList();
    }
}
