
namespace Gatehouse.SessionBroker.CertificateAuthority.ShowingCa;

/// <summary>
/// <c>GET /api/ca/{user|host}</c>: the CA's trusted public keys and the lines to install: for the user CA, a
/// TrustedUserCAKeys file for targets; for the host CA, @cert-authority lines for known_hosts. Public keys only.
/// </summary>
public static class ShowCa
{
    public sealed record CaKeyView(string PublicKey, string Fingerprint, DateTimeOffset SignsFrom, bool Signing, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record CaView(string Kind, IReadOnlyList<CaKeyView> Keys, IReadOnlyList<string> Lines);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/ca/{kind}", async (string kind, GatehouseCa ca, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            if (CaKinds.Parse(kind) is not { } parsed) return CaKinds.Unknown(kind);
            var ring = await ca.RingAsync(parsed, cancellationToken);
            var signing = ring.Signing(clock.GetUtcNow());
            return Results.Ok(new CaView(parsed.ToString().ToLowerInvariant(),
                ring.Trusted.Select(k => new CaKeyView(k.PublicKey, k.Fingerprint, k.SignsFrom, k == signing, k.CreatedAt, k.CreatedBy)).ToList(),
                ring.Trusted.Select(k => CaKinds.TrustLine(parsed, k)).ToList()));
        });
}
