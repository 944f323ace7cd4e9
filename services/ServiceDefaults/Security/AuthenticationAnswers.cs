using Gatehouse.Contracts.Authentication;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>
/// A host that checks API tokens with the Authentication service (<see cref="BusTokenHolderLookup"/>) is not ready
/// until Authentication has answered it once: the first request over a fresh bus and into a service still warming up
/// can outlast the lookup's short bound, and every API call would be refused with 503 meanwhile. At start this asks
/// once, with a long bound, again until answered; <c>/health</c> says unhealthy until then.
/// </summary>
internal sealed class AuthenticationAnswers(IBus bus, ITokenHolderLookup lookup, ILogger<AuthenticationAnswers> logger) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "authentication-answers";

    // Any name the grammar accepts; whether such a user exists does not matter, only that an answer comes.
    private const string ProbeName = "gatehouse-readiness-probe";

    private volatile bool _answered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (lookup is not BusTokenHolderLookup)
        {
            _answered = true;
            return;
        }

        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var client = bus.CreateRequestClient<FindUser>(RequestTimeout.After(s: 30));
                await client.GetResponse<UserFound, UserNotFound>(new FindUser(ProbeName), stoppingToken);
                _answered = true;
                logger.LogInformation("The Authentication service answers: API tokens can be checked");
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The Authentication service has not answered yet ({Why}); API tokens are refused with 503 until it does", ex.Message);
            }

            await Task.Delay(wait, stoppingToken);
            wait = TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds * 2, 30));
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_answered
            ? HealthCheckResult.Healthy("The Authentication service answers token checks.")
            : HealthCheckResult.Unhealthy("The Authentication service has not answered a token check yet."));
}
