using Marten;

namespace Gatehouse.Authentication.SignIn;

/// <summary>Deletes first factors whose second factor never came (the connection closed), so they do not pile up.</summary>
public sealed class PendingMfaSweeper(IDocumentStore store, TimeProvider clock, ILogger<PendingMfaSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var session = store.LightweightSession();
                var now = clock.GetUtcNow();
                session.DeleteWhere<PendingMfa>(p => p.ExpiresAt < now);
                await session.SaveChangesAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not delete expired pending MFA logins; trying again in {Interval}", Interval);
            }
        }
    }
}
