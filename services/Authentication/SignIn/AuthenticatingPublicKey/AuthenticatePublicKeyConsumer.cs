using Gatehouse.Contracts.Authentication;
using Gatehouse.Vocabulary;
using MassTransit;

namespace Gatehouse.Authentication.SignIn.AuthenticatingPublicKey;

/// <summary>Answers the gateway's public key check. Always answers: an internal error is a refusal (fail closed).</summary>
public sealed class AuthenticatePublicKeyConsumer(SignInService signIn, ILogger<AuthenticatePublicKeyConsumer> logger)
    : IConsumer<AuthenticatePublicKey>
{
    public async Task Consume(ConsumeContext<AuthenticatePublicKey> context)
    {
        var request = context.Message;
        try
        {
            var problem = SignInService.ValidateRequest(request.UserName, request.SourceAddress, request.CorrelationId);
            var (key, keyProblem) = problem is null ? OpenSshPublicKey.Parse(request.Algorithm, request.PublicKey) : (null, null);
            if ((problem ?? keyProblem) is { } malformed)
            {
                await context.RespondAsync(GatewayReplies.Malformed(SignInService.PublicKeyMethod, malformed));
                return;
            }

            var outcome = await signIn.PublicKeyAsync(request.UserName, key!, request.CertificateRefused, request.SourceAddress,
                request.CorrelationId, context.CancellationToken);
            await (outcome is { Accepted: true, User: { } user }
                ? context.RespondAsync(new PublicKeyAccepted(user.UserName, outcome.MfaRequired, user.Roles, key!.Fingerprint))
                : context.RespondAsync(GatewayReplies.Refusal(outcome.Failure!.Value, SignInService.PublicKeyMethod)));
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Public key authentication failed internally for connection {CorrelationId}; refusing", request.CorrelationId);
            await context.RespondAsync(GatewayReplies.Unavailable);
        }
    }
}
