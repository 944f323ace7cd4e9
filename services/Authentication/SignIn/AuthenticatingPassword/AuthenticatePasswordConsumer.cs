using Gatehouse.Authentication.Credentials.Passwords;
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
            var problem = SignInService.ValidateRequest(request.UserName, request.SourceAddress, request.CorrelationId)
                          ?? (request.Password is null or { Length: 0 or > PasswordHasher.MaxLength }
                              ? $"Password must be 1 to {PasswordHasher.MaxLength} characters." : null);
            if (problem is not null)
            {
                await context.RespondAsync(GatewayReplies.Malformed(SignInService.PasswordMethod, problem));
                return;
            }

            var outcome = await signIn.PasswordAsync(request.UserName, request.Password!, request.SourceAddress,
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
