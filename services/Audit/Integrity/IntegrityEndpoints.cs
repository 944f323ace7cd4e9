namespace Gatehouse.Audit.Integrity;

/// <summary><c>GET /api/audit/integrity/verify</c> and the public key that checks the digests' signatures.</summary>
public static class IntegrityEndpoints
{
    public sealed record SigningKey(string Algorithm, string PublicKey);

    public static RouteGroupBuilder MapIntegrity(this RouteGroupBuilder group)
    {
        group.MapGet("/integrity/verify", (AuditChainVerifier verifier, CancellationToken cancellationToken) =>
                verifier.VerifyAsync(cancellationToken))
            .WithName("VerifyAuditChain")
            .WithDescription("Recomputes the signed digest chain against the stored events and names every changed, missing, moved or inserted event.");
        group.MapGet("/integrity/public-key", (DigestSigner signer) => new SigningKey("Ed25519", signer.PublicKey))
            .WithName("DigestSigningKey");
        return group;
    }
}
