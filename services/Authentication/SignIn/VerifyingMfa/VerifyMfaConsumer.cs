using Gatehouse.Contracts.Authentication;
using MassTransit;

namespace Gatehouse.Authentication.SignIn.VerifyingMfa;

/// <summary>Answers the gateway's second-factor check. Always answers: an internal error is a refusal (fail closed).</summary>
public sealed class VerifyMfaConsumer(SignInService signIn, ILogger<VerifyMfaConsumer> logger) : IConsumer<VerifyMfa>
{
    private const int MaxCodeLength = 32;

    public async Task Consume(ConsumeContext<VerifyMfa> context)
    {
        var request = context.Message;
        try
        {
            var problem = SignInService.ValidateRequest(request.UserName, request.SourceAddress, request.CorrelationId)
                          ?? (request.Code is null or { Length: 0 or > MaxCodeLength } ? $"Code must be 1 to {MaxCodeLength} characters." : null);
            if (problem is not null)
            {
                await context.RespondAsync(GatewayReplies.Malformed(SignInService.MfaMethod, problem));
                return;
            }

            var outcome = await signIn.MfaAsync(request.UserName, request.Code!.Trim(), request.SourceAddress, request.CorrelationId,
                context.CancellationToken);
            await (outcome is { Accepted: true, User: { } user }
                ? context.RespondAsync(new MfaVerified(user.UserName, user.Roles))
                : context.RespondAsync(GatewayReplies.Refusal(outcome.Failure!.Value, SignInService.MfaMethod)));
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "MFA verification failed internally for connection {CorrelationId}; refusing", request.CorrelationId);
            await context.RespondAsync(GatewayReplies.Unavailable);
        }
    }
}
