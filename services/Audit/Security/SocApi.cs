using System.Diagnostics;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Audit.Security;

/// <summary>The audit of the SOC API's own reads.</summary>
public static class SocApi
{
    /// <summary>
    /// Records every answered read in the audit store itself (<see cref="AuditTrailRead"/>), after the answer is
    /// computed and before it is sent: a read that cannot be recorded is not answered.
    /// </summary>
    public static TBuilder AuditedRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            // The policy has let only a signed-in reader through; a read nobody can be named for is not answered.
            var reader = ApiCaller.Of(http) ?? throw new InvalidOperationException("An audited read has no signed-in reader");
            var read = new AuditTrailRead(reader.Name, Truncate(http.Request.Path + http.Request.QueryString, 2000), status, reader.Name,
                reader.SourceAddress, reader.CorrelationId, reader.NewEventId(), reader.Now);
            await http.RequestServices.GetRequiredService<AuditWriter>().RecordAsync(read, Activity.Current?.Id, http.RequestAborted);
            return result;
        });

    /// <summary>An alert action or integrity verification the API refused (<see cref="RefusedChanges"/>).</summary>
    public static AuditChangeRefused Refused(RefusedChange refused) => new(refused.Change, refused.Subject, refused.Reason, refused.CallerRoles,
        refused.Caller.Name, refused.Caller.SourceAddress, refused.Caller.CorrelationId, refused.Caller.NewEventId(), refused.Caller.Now);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
