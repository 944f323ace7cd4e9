using Gatehouse.Authentication.Bootstrap;
using Gatehouse.Authentication.Credentials.Mfa;
using Gatehouse.Authentication.Credentials.Passwords;
using Gatehouse.Authentication.Lockout;
using Gatehouse.Authentication.Lockout.BreakingGlass;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Authentication.SignIn.AuthenticatingPassword;
using Gatehouse.Authentication.SignIn.AuthenticatingPublicKey;
using Gatehouse.Authentication.SignIn.AuthenticatingUserCertificate;
using Gatehouse.Authentication.SignIn.VerifyingMfa;
using Gatehouse.Authentication.Tokens;
using Gatehouse.Authentication.Tokens.CheckingTokenHolder;
using Gatehouse.Authentication.Tokens.SigningKeys;
using Gatehouse.Authentication.Users;
using Gatehouse.Authentication.Users.FindingUser;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.ServiceDefaults.Security;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication;

public static class Extensions
{
    public static IHostApplicationBuilder AddAuthenticationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<AuthenticationSettings>(builder.Configuration.GetSection(AuthenticationSettings.Section),
                AuthenticationSettingsProblems.Of)
            .Validate(settings => SecretProtector.Problem(settings) is null,
                $"{AuthenticationSettings.Section}:SecretsKey must be base64 of 32 random bytes (openssl rand -base64 32), set in the environment.")
            // The old key would be ignored silently and the bootstrap secret written where nobody looks for it.
            .Validate(_ => builder.Configuration[$"{AuthenticationSettings.Section}:StateDirectory"] is null,
                $"{AuthenticationSettings.Section}:StateDirectory is no longer read: set Gatehouse:State (the state folder); "
                + $"this service keeps its files in its '{AuthenticationSettings.StateFolder}' subfolder.");

        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<PasswordHasher>();
        builder.Services.AddSingleton<SignInService>();
        builder.Services.AddSingleton<ApiSigningKeys>();
        builder.Services.AddSingleton<ApiTokenIssuer>();
        builder.Services.AddSingleton<ITokenHolderLookup, StoredTokenHolders>();
        builder.Services.AddSingleton<BootstrapSecret>();
        builder.Services.AddHostedService<SigningKeysRefresher>();
        builder.Services.AddHostedService<PendingMfaSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BootstrapSecret>());
        builder.Services.AddSingleton<BreakGlassUnlock>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BreakGlassUnlock>());

        builder.AddGatehouseEventStore(options =>
            {
                // Quick append skips reading each new login stream before writing it; UserAccount needs no event metadata.
                options.Events.AppendMode = EventAppendMode.Quick;
                options.Projections.Snapshot<UserAccount>(SnapshotLifecycle.Inline);
                options.Schema.For<UserAccount>().UniqueIndex(u => u.UserName);
                options.Schema.For<LoginThrottle>().UseOptimisticConcurrency(true);
                options.Schema.For<PendingMfa>();
            })
            .ForwardAccessEventsToBus();

        builder.AddGatehouseBus(bus =>
        {
            bus.AddConsumer<AuthenticatePublicKeyConsumer, SignInConsumerDefinition<AuthenticatePublicKeyConsumer>>();
            bus.AddConsumer<AuthenticateUserCertificateConsumer, SignInConsumerDefinition<AuthenticateUserCertificateConsumer>>();
            bus.AddConsumer<AuthenticatePasswordConsumer, SignInConsumerDefinition<AuthenticatePasswordConsumer>>();
            bus.AddConsumer<VerifyMfaConsumer, SignInConsumerDefinition<VerifyMfaConsumer>>();
            bus.AddConsumer<FindUserConsumer>();
        });

        // This service signs the tokens, so it validates them with its own published keys rather than fetching its own JWKS.
        builder.AddGatehouseApiAuthentication((bearer, services) =>
        {
            var settings = services.GetRequiredService<IOptions<AuthenticationSettings>>().Value.Tokens;
            bearer.ConfigurationManager = null;
            var keys = services.GetRequiredService<ApiSigningKeys>();
            bearer.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.ValidationKeys();
            bearer.TokenValidationParameters.ValidIssuer = settings.Issuer;
            bearer.TokenValidationParameters.ValidAudience = settings.Audience;
        });
        return builder;
    }
}
