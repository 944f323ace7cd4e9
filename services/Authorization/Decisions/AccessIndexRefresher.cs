using Microsoft.Extensions.Options;

namespace Gatehouse.Authorization.Decisions;

/// <summary>
/// Loads the index before the service takes requests, then keeps it caught up with changes other instances commit.
/// A decision never relies on this alone: allowing re-reads the grant and refusing first catches up.
/// </summary>
public sealed class AccessIndexRefresher(AccessIndexCache cache, IOptions<AuthorizationSettings> settings,
    ILogger<AccessIndexRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await cache.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.IndexRefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cache.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not catch the access index up with the store; decisions re-check the store meanwhile");
            }
        }
    }
}
