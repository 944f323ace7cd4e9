using Gatehouse.ServiceDefaults.Health;
using Gatehouse.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.ServiceDefaults;

public static class Extensions
{
    /// <summary>Telemetry and health checks, the same in every service.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
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
