using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.SessionBroker.CertificateAuthority;

/// <summary>The CA named in a route, and how each CA's keys are installed where they are trusted.</summary>
public static class CaKinds
{
    public static CaKind? Parse(string kind) => kind switch
    {
        "user" => CaKind.User,
        "host" => CaKind.Host,
        _ => null,
    };

    public static IResult Unknown(string kind) =>
        ApiProblems.NotFound($"There is no '{(kind.Length > 16 ? kind[..16] : kind)}' CA: use 'user' or 'host'");

    /// <summary>A TrustedUserCAKeys line for the user CA, an @cert-authority known_hosts line for the host CA.</summary>
    public static string TrustLine(CaKind kind, CaKey key) => kind == CaKind.User
        ? $"{key.PublicKey} gatehouse-user-ca:{key.Fingerprint}"
        : $"@cert-authority * {key.PublicKey} gatehouse-host-ca:{key.Fingerprint}";
}
