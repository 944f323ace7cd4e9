using Gatehouse.ServiceDefaults.EventStore;

namespace Gatehouse.SessionBroker.Api;

public static class RequestActor
{
    /// <summary>The signed-in operator behind an admin request (the token's subject).</summary>
    public static string Of(HttpContext http) =>
        http.User.Identity?.Name ?? throw new InvalidOperationException("An authenticated request carries a subject");

    public static string? SourceOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    /// <summary>The request's trace, which the events it causes carry as their correlation id.</summary>
    public static string CorrelationOf(HttpContext http) => CorrelationIds.OfCurrentTrace();
}
