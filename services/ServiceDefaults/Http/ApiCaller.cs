using Gatehouse.ServiceDefaults.EventStore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// Who is calling an API, from where, within which trace and when: what every event the request causes records.
/// An endpoint takes it as a parameter; on an endpoint that requires authentication the name is the token's subject.
/// </summary>
public sealed record ApiCaller(string Name, string? SourceAddress, string CorrelationId, DateTimeOffset Now)
{
    public Guid NewEventId() => EventIds.New(Now);

    /// <summary>
    /// Binds the parameter. A request without a subject has no caller: the endpoint answers 400 instead of recording
    /// an event nobody did (an authenticated endpoint never gets there, the token check has refused it first).
    /// </summary>
    public static ValueTask<ApiCaller?> BindAsync(HttpContext http) => ValueTask.FromResult(Of(http));

    /// <summary>The caller of an authenticated request, for code that runs around an endpoint (filters).</summary>
    public static ApiCaller? Of(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? Acting(http, name) : null;

    /// <summary>
    /// The caller of an endpoint that anyone may call (sign-in, bootstrap, break-glass): it acts under the name the
    /// endpoint gives, never one taken from the request.
    /// </summary>
    public static ApiCaller Acting(HttpContext http, string name) => new(name, http.Connection.RemoteIpAddress?.ToString(),
        CorrelationIds.OfCurrentTrace(), http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
}
