using System.Diagnostics;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Security;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gatehouse.Audit.Integrity;

/// <summary>
/// <c>GET /api/audit/integrity/verify</c>, the last verification anyone ran, and the public key that checks the
/// digests' signatures.
/// </summary>
public static class IntegrityEndpoints
{
    public sealed record SigningKey(string Algorithm, string PublicKey);

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/integrity/verify", VerifyAsync)
            .WithName("VerifyAuditChain")
            .WithDescription("Recomputes the signed digest chain against the stored events and names every changed, missing, moved or inserted event; "
                + "the run and what it found are recorded (AuditChainVerified).")
            // A run is an action, though served on GET: a refused one is recorded like a refused alert action.
            .RecordRefusedChanges(SocApi.Refused, evenOnGet: true);
        group.MapGet("/integrity/last", LastAsync)
            .WithName("LastAuditChainVerification")
            .WithDescription("The last recorded verification of the digest chain (an AuditChainVerified event), or 404 when none was run.");
        group.MapGet("/integrity/public-key", (DigestSigner signer) => new SigningKey("Ed25519", signer.PublicKey))
            .WithName("DigestSigningKey");
    }

    /// <summary>
    /// The run is recorded before the report is answered, like every read of the store: a broken chain found and not
    /// recorded would leave the next analyst looking at the last intact run.
    /// </summary>
    private static async Task<IntegrityReport> VerifyAsync(AuditChainVerifier verifier, ApiCaller caller, AuditWriter writer, CancellationToken ct)
    {
        var report = await verifier.VerifyAsync(ct);
        var verified = new AuditChainVerified(caller.Name, report.Intact, report.DigestsChecked, report.EventsChecked, report.SealedUpToSequence,
            report.UnsealedEvents, report.Problems.Count, report.Problems.Take(AuditChainVerified.MaxProblemsNamed).Select(p => p.Detail).ToList(),
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now);
        await writer.RecordAsync(verified, Activity.Current?.Id, ct);
        return report;
    }

    private static async Task<Results<Ok<AuditEntry>, NotFound<string>>> LastAsync(IQuerySession session, CancellationToken ct) =>
        await session.Query<AuditEntry>().Where(e => e.Type == nameof(AuditChainVerified))
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Sequence).FirstOrDefaultAsync(ct) is { } last
            ? TypedResults.Ok(last)
            : TypedResults.NotFound("The audit chain has not been verified yet");
}
