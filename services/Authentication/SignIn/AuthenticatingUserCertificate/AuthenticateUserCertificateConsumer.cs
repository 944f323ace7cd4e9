using Gatehouse.Contracts.Authentication;
using MassTransit;

namespace Gatehouse.Authentication.SignIn.AuthenticatingUserCertificate;

/// <summary>
/// Answers the gateway for a user certificate it accepted: the account decides the rest, as for a registered key.
/// Always answers: an internal error is a refusal (fail closed).
/// </summary>
public sealed class AuthenticateUserCertificateConsumer(SignInService signIn, ILogger<AuthenticateUserCertificateConsumer> logger)
    : IConsumer<AuthenticateUserCertificate>
{
    public async Task Consume(ConsumeContext<AuthenticateUserCertificate> context)
    {
        var request = context.Message;
        try
        {
            var problem = SignInService.ValidateRequest(request.UserName, request.SourceAddress, request.CorrelationId)
                          ?? (request.KeyFingerprint is { Length: > 7 and <= 100 } && request.KeyFingerprint.StartsWith("SHA256:", StringComparison.Ordinal)
                              ? null : "Key fingerprint must be a SHA256: fingerprint.");
            if (problem is not null)
            {
                await context.RespondAsync(GatewayReplies.Malformed(SignInService.PublicKeyMethod, problem));
                return;
            }

            var outcome = await signIn.UserCertificateAsync(request.UserName, request.KeyFingerprint, request.SourceAddress, request.CorrelationId,
                context.CancellationToken);
            await (outcome is { Accepted: true, User: { } user }
                ? context.RespondAsync(new PublicKeyAccepted(user.UserName, outcome.MfaRequired, user.Roles, request.KeyFingerprint))
                : context.RespondAsync(GatewayReplies.Refusal(outcome.Failure!.Value, SignInService.PublicKeyMethod)));
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Certificate authentication failed internally for connection {CorrelationId}; refusing", request.CorrelationId);
            await context.RespondAsync(GatewayReplies.Unavailable);
        }
    }
}
