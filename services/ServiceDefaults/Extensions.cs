using Gatehouse.ServiceDefaults.Health;
using Gatehouse.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.ServiceDefaults;

public static class Extensions
{
    /// <summary>Telemetry and health checks, the same in every service.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Domain code takes the time from here, never from the system clock directly, so tests can control it.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddGatehouseTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    /// <summary><c>/health</c> (ready: database and bus answer) and <c>/alive</c> (the process runs).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        return app;
    }
}
