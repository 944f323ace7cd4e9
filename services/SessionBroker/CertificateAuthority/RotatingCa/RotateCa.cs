using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.SessionBroker.CertificateAuthority.RotatingCa;

/// <summary>When the new key starts signing; default now plus <c>Gatehouse:CertificateAuthority:RotationLead</c>.</summary>
public sealed record RotateCaRequest(DateTimeOffset? SignsFrom);

/// <summary>
/// <c>POST /api/ca/{user|host}/rotate</c>: makes a new CA key. Both keys are trusted while targets are updated; the
/// old one keeps signing until the new one's time comes, and stays trusted until retired.
/// </summary>
public static class RotateCa
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/ca/{kind}/rotate", async Task<IResult> (string kind, RotateCaRequest? request, ApiCaller caller, GatehouseCa ca,
            CancellationToken cancellationToken) =>
        {
            if (CaKinds.Parse(kind) is not { } parsed) return CaKinds.Unknown(kind);
            if (request?.SignsFrom is { } from && (from < caller.Now.AddMinutes(-1) || from > caller.Now.AddDays(365)))
            {
                var errors = new InputErrors();
                errors.Add("signsFrom", "The new key starts signing between now and a year from now");
                return errors.ToResult();
            }

            var key = await ca.RotateAsync(parsed, request?.SignsFrom, caller, cancellationToken);
            return Results.Ok(new ShowingCa.ShowCa.CaKeyView(key.PublicKey, key.Fingerprint, key.SignsFrom, key.SignsFrom <= caller.Now,
                key.CreatedAt, key.CreatedBy));
        });
}
