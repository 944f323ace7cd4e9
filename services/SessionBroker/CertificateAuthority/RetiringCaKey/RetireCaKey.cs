using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.SessionBroker.CertificateAuthority.RetiringCaKey;

public sealed record RetireCaKeyRequest(string? Fingerprint);

/// <summary><c>POST /api/ca/{user|host}/retire</c>: stops trusting an old CA key (never the one that signs now).</summary>
public static class RetireCaKey
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/ca/{kind}/retire", async Task<IResult> (string kind, RetireCaKeyRequest? request, ApiCaller caller, GatehouseCa ca,
            CancellationToken cancellationToken) =>
        {
            if (CaKinds.Parse(kind) is not { } parsed) return CaKinds.Unknown(kind);
            if (request?.Fingerprint is not { Length: > 7 and < 100 } fingerprint || !fingerprint.StartsWith("SHA256:", StringComparison.Ordinal))
            {
                var errors = new InputErrors();
                errors.Add("fingerprint", "Name the key by its SHA256: fingerprint, as GET /api/ca/{kind} shows it");
                return errors.ToResult();
            }

            return await ca.RetireAsync(parsed, fingerprint, caller, cancellationToken) is { } refusal
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key was not retired", detail: refusal)
                : Results.NoContent();
        });
}
