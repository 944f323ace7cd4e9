using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// An administrative write an API refused, as the owning service's refusal event needs it. Only what the route says
/// (never the body, which may hold a password or a key).
/// </summary>
/// <param name="Change">Method and route pattern, e.g. <c>PUT /api/roles/{role}/members/{user}</c>.</param>
/// <param name="RouteValues">The route's values, each made safe to store and show (see <see cref="RefusedChanges.Shown"/>).</param>
public sealed record RefusedChange(ApiCaller Caller, string Change, IReadOnlyDictionary<string, string> RouteValues, ChangeRefusalReason Reason,
    IReadOnlyList<string> CallerRoles)
{
    /// <summary>The route's values as one line, <c>role=dba, user=bob</c>; null when there are none.</summary>
    public string? Subject => RouteValues.Count == 0 ? null : string.Join(", ", RouteValues.Select(v => $"{v.Key}={v.Value}"));
}

/// <summary>Endpoint metadata: a refused write to these endpoints is recorded as the event <see cref="ToEvent"/> makes.</summary>
/// <param name="EvenOnGet">For an action served on GET (running the audit chain's verification): its refusals are recorded too.</param>
public sealed record RefusedChangeEvent(Func<RefusedChange, IAccessEvent> ToEvent, bool EvenOnGet = false);

/// <summary>
/// Refused administrative writes as events, in one place per service: the admin endpoint group says which event a
/// refusal becomes (<see cref="RecordRefusedChanges{TBuilder}"/>), and one middleware, placed before authorization so it
/// sees the 403s too, records every write there answered 400, 403, 404, 409 or 413. The answer itself is not changed.
/// </summary>
public static class RefusedChanges
{
    private const int MaxShownLength = 200;

    public static TBuilder RecordRefusedChanges<TBuilder>(this TBuilder endpoints, Func<RefusedChange, IAccessEvent> toEvent, bool evenOnGet = false)
        where TBuilder : IEndpointConventionBuilder => endpoints.WithMetadata(new RefusedChangeEvent(toEvent, evenOnGet));

    /// <summary>Before <c>UseAuthorization</c>, so a write refused for want of a role is recorded like one refused later.</summary>
    public static WebApplication UseRefusedChangeEvents(this WebApplication app)
    {
        app.UseMiddleware<RefusedChangeRecorder>();
        return app;
    }

    /// <summary>Which refusal an answer is; null for an answer that is not one (done, a server fault).</summary>
    public static ChangeRefusalReason? ReasonOf(int statusCode) => statusCode switch
    {
        StatusCodes.Status403Forbidden => ChangeRefusalReason.Forbidden,
        StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge => ChangeRefusalReason.InvalidInput,
        StatusCodes.Status409Conflict => ChangeRefusalReason.Conflict,
        // A write to an id that does not exist is what probing for ids looks like; the answer alone would hide it.
        StatusCodes.Status404NotFound => ChangeRefusalReason.NotFound,
        _ => null,
    };

    /// <summary>
    /// A route value as it can be stored and shown: the very text that was refused for holding control characters or
    /// broken Unicode must not reach the audit trail (or a terminal) as it came.
    /// </summary>
    public static string Shown(string value) =>
        InputText.Problem(value) is { } problem ? $"(not shown: {problem})"
        : value.Length > MaxShownLength ? value[..MaxShownLength] + "…"
        : value;
}

/// <summary>Records a refused write to an endpoint that carries <see cref="RefusedChangeEvent"/>, after the answer is decided.</summary>
public sealed class RefusedChangeRecorder(RequestDelegate next, ILogger<RefusedChangeRecorder> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        await next(http);
        if (HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || http.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<RefusedChangeEvent>() is not { } recorded
            || (HttpMethods.IsGet(http.Request.Method) && !recorded.EvenOnGet)
            || RefusedChanges.ReasonOf(http.Response.StatusCode) is not { } reason
            // An anonymous caller got its 401 and names nobody: there is no actor to record.
            || ApiCaller.Of(http) is not { } caller)
        {
            return;
        }

        var refused = new RefusedChange(caller, $"{http.Request.Method} {endpoint.RoutePattern.RawText}",
            http.Request.RouteValues.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => RefusedChanges.Shown(v.Value!.ToString() ?? "")),
            reason, http.User.FindAll(GatehousePolicies.RoleClaim).Select(c => c.Value).Distinct().ToList());
        try
        {
            var refusal = recorded.ToEvent(refused);
            await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
            session.StartStreamWithAccessEvent(refusal.EventId, refusal);
            await session.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The refusal stands either way; a store that cannot take the record is logged where an operator looks.
            logger.LogError(ex, "Could not record the refused change {Change} by {Actor} ({Reason})", refused.Change, caller.Name, reason);
        }
    }
}
