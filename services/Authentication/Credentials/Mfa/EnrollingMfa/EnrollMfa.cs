using System.Security.Cryptography;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Credentials.Mfa.EnrollingMfa;

/// <summary>Everything the user needs to set up an authenticator; shown once, never stored in the clear.</summary>
public sealed record MfaEnrollment(string Secret, string OtpAuthUri, string QrCode, IReadOnlyList<string> RecoveryCodes);

public sealed record ConfirmMfaRequest(string? Code);

/// <summary>
/// Enrollment is two steps: a new secret is issued (encrypted at rest), then a code from the authenticator confirms
/// it. Only a confirmed authenticator is required at login, so a half-finished enrollment never locks anyone out.
/// </summary>
public static class EnrollMfa
{
    public const int SecretBytes = 20;

    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPost("/users/{name}/mfa", Start);
        admin.MapPost("/users/{name}/mfa/confirm", Confirm);
    }

    /// <param name="protectedSecret">The new secret, encrypted for this user.</param>
    public static UserDecision DecideStart(UserAccount user, string protectedSecret, IReadOnlyList<string> recoveryCodeHashes, DateTimeOffset now) =>
        user.MfaRequired
            ? UserDecision.Conflict($"{user.UserName} already has an authenticator; remove it first to enroll a new one.")
            : UserDecision.Append(new TotpSecretIssued(user.Id, protectedSecret, recoveryCodeHashes, now));

    /// <param name="matchingStep">The time step of the pending authenticator the code matches, or null when it does not.</param>
    public static UserDecision DecideConfirm(UserAccount user, Func<TotpAuthenticator, long?> matchingStep, ApiCaller caller, Guid eventId)
    {
        if (user.Totp is not { Confirmed: false } pending)
        {
            return UserDecision.Conflict(user.MfaRequired
                ? $"{user.UserName}'s authenticator is already confirmed."
                : $"{user.UserName} has no enrollment in progress; start one first.");
        }

        if (matchingStep(pending) is not { } step)
        {
            return UserDecision.Invalid("code", "The code does not match; check the authenticator's clock and try the current code.");
        }

        // The confirming code is spent: it cannot be replayed to log in.
        return UserDecision.Append(
            new MfaEnrolled(user.Id, user.UserName, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now),
            new TotpStepUsed(user.Id, step, caller.Now));
    }

    private static async Task<IResult> Start(ApiCaller caller, string name, IDocumentSession session, SecretProtector protector,
        IOptions<AuthenticationSettings> options, CancellationToken cancellationToken)
    {
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        var recoveryCodes = RecoveryCodes.Generate();
        var (problem, user) = await UserUpdates.DecideAsync(session, name, user => DecideStart(user, protector.Protect(secret, user.Id),
            recoveryCodes.Select(RecoveryCodes.Hash).ToArray(), caller.Now), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var encoded = Base32.Encode(secret);
        var issuer = Uri.EscapeDataString(options.Value.TotpIssuer);
        var uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user!.UserName)}?secret={encoded}&issuer={issuer}"
                  + $"&algorithm=SHA1&digits={Totp.Digits}&period={Totp.StepSeconds}";
        return Results.Ok(new MfaEnrollment(encoded, uri, TerminalQrCode.Render(uri), recoveryCodes));
    }

    private static async Task<IResult> Confirm(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
        SecretProtector protector, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ConfirmMfaRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (request!.Code is not { Length: Totp.Digits } code || !code.All(char.IsAsciiDigit))
        {
            return InputErrors.Invalid("code", $"The code must be the {Totp.Digits} digits the authenticator shows.");
        }

        var (refused, _) = await UserUpdates.DecideAsync(session, name, user => DecideConfirm(user,
            pending => Totp.Match(protector.Unprotect(pending.ProtectedSecret, user.Id), code, caller.Now, pending.LastUsedStep),
            caller, caller.NewEventId()), cancellationToken);
        return refused ?? Results.NoContent();
    }
}
