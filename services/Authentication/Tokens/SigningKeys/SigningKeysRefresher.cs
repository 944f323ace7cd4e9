namespace Gatehouse.Authentication.Tokens.SigningKeys;

/// <summary>
/// Loads the signing keys before the service takes requests (a key that cannot be read stops it at once), then
/// re-reads them now and then, so a rotation made through another instance reaches this one long before the new key signs.
/// </summary>
public sealed class SigningKeysRefresher(ApiSigningKeys keys, TimeProvider clock, ILogger<SigningKeysRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await keys.LoadAsync(cancellationToken);
        // Decrypt now: a secrets key that cannot open the signing key must stop the start, not the first login.
        _ = keys.Current();
        logger.LogInformation("Signing API tokens with key {KeyId}", keys.CurrentKeyId);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.LoadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not re-read the API signing keys; using the ones loaded before");
            }
        }
    }
}
