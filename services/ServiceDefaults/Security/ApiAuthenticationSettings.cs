using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>How a service checks the API tokens the Authentication service signs, from <c>Gatehouse:Api</c>.</summary>
public sealed class ApiAuthenticationSettings
{
    public const string Section = "Gatehouse:Api";

    public string Issuer { get; set; } = "gatehouse-authentication";

    public string Audience { get; set; } = "gatehouse-api";

    /// <summary>The Authentication service's JWKS, e.g. http://127.0.0.1:5101/.well-known/jwks.json.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>
    /// How often the JWKS is re-read even when no unknown key was seen, so a new signing key is known before it signs
    /// (the Authentication service publishes it 10 minutes ahead by default). At least 5 minutes.
    /// </summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tolerated clock difference between the services when checking expiry.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a host trusts what it last heard about a token's user. User events clear it at once; this bounds how
    /// long a missed event could keep a revoked token working.
    /// </summary>
    public TimeSpan TokenHolderCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a host waits for the Authentication service to say who a token's user is before refusing the call with a 503.</summary>
    public TimeSpan TokenHolderLookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What makes these settings unusable, all at once.</summary>
    /// <param name="jwksRequired">False where the tokens are checked with a key at hand (the Authentication service's own).</param>
    public IReadOnlyList<string> Problems(bool jwksRequired)
    {
        var problems = new List<string>();
        if (jwksRequired && !Uri.TryCreate(JwksUrl, UriKind.Absolute, out _))
        {
            problems.Add($"{Section}:JwksUrl must be the Authentication service's JWKS address, e.g. http://127.0.0.1:5101/.well-known/jwks.json.");
        }

        if (JwksRefreshInterval < ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval)
        {
            problems.Add($"{Section}:JwksRefreshInterval must be at least {ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval}.");
        }

        if (TokenHolderCacheLifetime <= TimeSpan.Zero || TokenHolderCacheLifetime > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{Section}:TokenHolderCacheLifetime must be more than 0 and at most 5 minutes.");
        }

        if (TokenHolderLookupTimeout <= TimeSpan.Zero || TokenHolderLookupTimeout > TimeSpan.FromSeconds(30))
        {
            problems.Add($"{Section}:TokenHolderLookupTimeout must be more than 0 and at most 30 seconds.");
        }

        return problems;
    }
}
