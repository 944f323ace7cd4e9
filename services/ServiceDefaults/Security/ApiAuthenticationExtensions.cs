using Gatehouse.ServiceDefaults.Settings;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.ServiceDefaults.Security;

public static class ApiAuthenticationExtensions
{
    /// <summary>The named HttpClient that fetches the JWKS; tests can give it a handler that reaches an in-process service.</summary>
    public const string JwksHttpClient = "gatehouse-jwks";

    /// <summary>
    /// Bearer authentication with the ES256 tokens of the Authentication service, validated against its JWKS
    /// (<c>Gatehouse:Api:JwksUrl</c>), plus the role policies "admin", "approver", "soc-analyst" and "soc-analyst-or-admin". A token is refused
    /// unless its signature, issuer, audience and lifetime all check out, and its user still exists, is enabled, has not
    /// been disabled since it was issued and holds every role it claims (<see cref="TokenRevocation"/>).
    /// </summary>
    /// <param name="configure">
    /// Adjusts the bearer options with the service provider at hand; the Authentication service uses it to validate
    /// with its own key instead of fetching its own JWKS.
    /// </param>
    public static IHostApplicationBuilder AddGatehouseApiAuthentication(this IHostApplicationBuilder builder,
        Action<JwtBearerOptions, IServiceProvider>? configure = null)
    {
        var jwksRequired = configure is null;
        builder.Services.AddSettings<ApiAuthenticationSettings>(builder.Configuration.GetSection(ApiAuthenticationSettings.Section),
            settings => settings.Problems(jwksRequired));

        // The Authentication service registers its own lookup (its store) first; every other host asks it over the bus.
        // The TokenHolderCache comes with the bus (AddGatehouseBus), with the consumer that clears it.
        if (!builder.Services.Any(service => service.ServiceType == typeof(ITokenHolderLookup)))
        {
            builder.Services.AddSingleton<AuthenticationAnswers>();
            builder.Services.AddHostedService(services => services.GetRequiredService<AuthenticationAnswers>());
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(AuthenticationAnswers.HealthCheckName,
                services => services.GetRequiredService<AuthenticationAnswers>(), failureStatus: null, tags: null));
        }

        builder.Services.TryAddSingleton<ITokenHolderLookup>(services => new BusTokenHolderLookup(services.GetRequiredService<IBus>(),
            services.GetRequiredService<TokenHolderCache>(), services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<IOptions<ApiAuthenticationSettings>>().Value));
        builder.Services.AddHttpClient(JwksHttpClient);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory, IServiceProvider, IOptions<ApiAuthenticationSettings>>((options, http, services, configured) =>
            {
                var settings = configured.Value;
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = settings.ClockSkew,
                    NameClaimType = "sub",
                    RoleClaimType = GatehousePolicies.RoleClaim,
                };
                if (Uri.TryCreate(settings.JwksUrl, UriKind.Absolute, out var jwks))
                {
                    options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                        jwks.ToString(), new JwksRetriever(),
                        new HttpDocumentRetriever(http.CreateClient(JwksHttpClient)) { RequireHttps = !jwks.IsLoopback })
                    {
                        // A token signed with a key not seen yet makes JwtBearer refresh, at most this often.
                        RefreshInterval = TimeSpan.FromSeconds(30),
                        // The default is 12 hours; a rotated key is published ahead of use by less than that.
                        AutomaticRefreshInterval = settings.JwksRefreshInterval,
                    };
                }

                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = TokenHolderCheck.OnTokenValidatedAsync,
                    OnChallenge = TokenHolderCheck.OnChallengeAsync,
                };
                configure?.Invoke(options, services);
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GatehousePolicies.Admin, policy => policy.RequireRole(GatehousePolicies.Admin))
            .AddPolicy(GatehousePolicies.Approver, policy => policy.RequireRole(GatehousePolicies.Approver))
            .AddPolicy(GatehousePolicies.SocAnalyst, policy => policy.RequireRole(GatehousePolicies.SocAnalyst))
            .AddPolicy(GatehousePolicies.SocAnalystOrAdmin, policy => policy.RequireRole(GatehousePolicies.SocAnalyst, GatehousePolicies.Admin));
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ForbiddenProblem>();
        return builder;
    }
}
