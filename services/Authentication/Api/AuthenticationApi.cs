using Gatehouse.Authentication.Bootstrap.BootstrappingAdmin;
using Gatehouse.Authentication.Credentials.Mfa.EnrollingMfa;
using Gatehouse.Authentication.Credentials.Mfa.RemovingMfa;
using Gatehouse.Authentication.Credentials.Passwords.SettingPassword;
using Gatehouse.Authentication.Credentials.PublicKeys.AddingKey;
using Gatehouse.Authentication.Credentials.PublicKeys.RemovingKey;
using Gatehouse.Authentication.Lockout.BreakingGlass;
using Gatehouse.Authentication.Lockout.UnlockingAccount;
using Gatehouse.Authentication.Tokens.IssuingToken;
using Gatehouse.Authentication.Tokens.RotatingSigningKey;
using Gatehouse.Authentication.Tokens.ViewingSigningKeys;
using Gatehouse.Authentication.Users.ChangingRoles;
using Gatehouse.Authentication.Users.CreatingUser;
using Gatehouse.Authentication.Users.DeletingUser;
using Gatehouse.Authentication.Users.DisablingUser;
using Gatehouse.Authentication.Users.ViewingUsers;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Authentication.Api;

public static class AuthenticationApi
{
    /// <summary>
    /// The HTTP API. Users, credentials and signing keys need an admin token, set here and nowhere else so no endpoint
    /// can be mapped without one; the open endpoints are where a token is had (sign-in, first-run bootstrap,
    /// break-glass) and the JWKS other services validate tokens with.
    /// </summary>
    public static WebApplication MapAuthenticationApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api").RequireAuthorization(GatehousePolicies.Admin).RecordRefusedChanges(Refused);
        ViewUsers.Map(admin);
        CreateUser.Map(admin);
        DeleteUser.Map(admin);
        ChangeRoles.Map(admin);
        DisableUser.Map(admin);
        UnlockAccount.Map(admin);
        AddPublicKey.Map(admin);
        RemovePublicKey.Map(admin);
        SetPassword.Map(admin);
        EnrollMfa.Map(admin);
        RemoveMfa.Map(admin);
        ViewSigningKeys.Map(admin);
        RotateSigningKey.Map(admin);

        ViewSigningKeys.MapJwks(app);
        IssueToken.Map(app);
        BootstrapAdmin.Map(app);
        BreakGlassUnlock.Map(app);
        return app;
    }

    // Every admin route that names a user names it {name}.
    private static AccountChangeRefused Refused(RefusedChange refused) => new(refused.Change, refused.RouteValues.GetValueOrDefault("name"),
        refused.Reason, refused.CallerRoles, refused.Caller.Name, refused.Caller.SourceAddress, refused.Caller.CorrelationId,
        refused.Caller.NewEventId(), refused.Caller.Now);
}
