using Gatehouse.ServiceDefaults.EventStore;

namespace Gatehouse.Authorization.Api;

/// <summary>Who is calling the admin API, from where, within which trace: what every event it causes records.</summary>
public sealed record RequestActor(string Name, string? SourceAddress, string CorrelationId)
{
    public static RequestActor From(HttpContext http) => new(
        http.User.Identity?.Name ?? throw new InvalidOperationException("An authenticated request carries a subject"),
        http.Connection.RemoteIpAddress?.ToString(),
        CorrelationIds.OfCurrentTrace());
}
