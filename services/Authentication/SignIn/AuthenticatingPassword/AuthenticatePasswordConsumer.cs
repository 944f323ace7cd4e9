using Gatehouse.Contracts.Authentication;
using MassTransit;

namespace Gatehouse.Authentication.SignIn.AuthenticatingPassword;

/// <summary>Answers the gateway's password check. Always answers: an internal error is a refusal (fail closed).</summary>
public sealed class AuthenticatePasswordConsumer(SignInService signIn, ILogger<AuthenticatePasswordConsumer> logger)
    : IConsumer<AuthenticatePassword>
{
    public async Task Consume(ConsumeContext<AuthenticatePassword> context)
    {
        var request = context.Message;
        try
        {
            // Any password, empty or absurdly long, is what someone typed at the gateway's prompt: a guess to record and count
            // (the check refuses what no stored password can be without hashing it).
            if (SignInService.ValidateRequest(request.UserName, request.SourceAddress, request.CorrelationId) is { } problem)
            {
                await context.RespondAsync(GatewayReplies.Malformed(SignInService.PasswordMethod, problem));
                return;
            }

            var outcome = await signIn.PasswordAsync(request.UserName, request.Password ?? "", request.SourceAddress,
                request.CorrelationId, SignInService.PasswordMethod, context.CancellationToken);
            await (outcome is { Accepted: true, User: { } user }
                ? context.RespondAsync(new PasswordAccepted(user.UserName, outcome.MfaRequired, user.Roles))
                : context.RespondAsync(GatewayReplies.Refusal(outcome.Failure!.Value, SignInService.PasswordMethod)));
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Password authentication failed internally for connection {CorrelationId}; refusing", request.CorrelationId);
            await context.RespondAsync(GatewayReplies.Unavailable);
        }
    }
}
