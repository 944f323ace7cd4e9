namespace Gatehouse.Authentication.Tokens;

/// <summary>Loads (or creates) the signing key when the service starts, so a bad key file stops it at once rather than at the first login.</summary>
public sealed class SigningKeyAtStartup(ApiSigningKey key, ILogger<SigningKeyAtStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Signing API tokens with key {KeyId}", key.KeyId);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
