using Gatehouse.Authentication.Bootstrap.BootstrappingAdmin;
using Gatehouse.Authentication.Credentials.Mfa.EnrollingMfa;
using Gatehouse.Authentication.Credentials.Mfa.RemovingMfa;
using Gatehouse.Authentication.Credentials.Passwords.SettingPassword;
using Gatehouse.Authentication.Credentials.PublicKeys.AddingKey;
using Gatehouse.Authentication.Credentials.PublicKeys.RemovingKey;
using Gatehouse.Authentication.Lockout.BreakingGlass;
using Gatehouse.Authentication.Lockout.UnlockingAccount;
using Gatehouse.Authentication.Tokens.RotatingSigningKey;
using Gatehouse.Authentication.Tokens.SigningKeys;
using Gatehouse.Authentication.Tokens.ViewingSigningKeys;
using Gatehouse.Authentication.Tokens.IssuingToken;
using Gatehouse.Authentication.Users.ChangingRoles;
using Gatehouse.Authentication.Users.CreatingUser;
using Gatehouse.Authentication.Users.DeletingUser;
using Gatehouse.Authentication.Users.DisablingUser;
using Gatehouse.Authentication.Users.ViewingUsers;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Authentication.Api;

public static class AuthenticationEndpoints
{
    /// <summary>The admin API for users and credentials (admin tokens only).</summary>
    public static WebApplication MapUserEndpoints(this WebApplication app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization(GatehousePolicies.Admin);
        users.MapGet("/", ViewUsers.List);
        users.MapPost("/", CreateUser.Handle);
        users.MapGet("/{name}", ViewUsers.Get);
        users.MapDelete("/{name}", DeleteUser.Handle);
        users.MapPut("/{name}/roles", ChangeRoles.Handle);
        users.MapPost("/{name}/disable", DisableUser.Disable);
        users.MapPost("/{name}/enable", DisableUser.Enable);
        users.MapPost("/{name}/unlock", UnlockAccount.Handle);
        users.MapPost("/{name}/keys", AddPublicKey.Handle);
        users.MapDelete("/{name}/keys", RemovePublicKey.Handle);
        users.MapPut("/{name}/password", SetPassword.Handle);
        users.MapPost("/{name}/mfa", EnrollMfa.Start);
        users.MapPost("/{name}/mfa/confirm", EnrollMfa.Confirm);
        users.MapDelete("/{name}/mfa", RemoveMfa.Handle);
        return app;
    }

    /// <summary>Token issuance, the JWKS other services validate with, its key rotation, the first-run bootstrap and break-glass.</summary>
    public static WebApplication MapTokenEndpoints(this WebApplication app)
    {
        app.MapGet("/.well-known/jwks.json", (ApiSigningKeys keys) => Results.Json(keys.Jwks()));
        app.MapPost("/api/tokens", IssueToken.Handle);
        app.MapPost("/api/bootstrap", BootstrapAdmin.Handle);
        app.MapPost("/api/break-glass/unlock", BreakGlassUnlock.Handle);
        var signingKeys = app.MapGroup("/api/signing-keys").RequireAuthorization(GatehousePolicies.Admin);
        signingKeys.MapGet("/", ViewSigningKeys.List);
        signingKeys.MapPost("/rotate", RotateSigningKey.Handle);
        return app;
    }
}
