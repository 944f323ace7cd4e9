using System.Text.Json.Serialization;
using Gatehouse.ServiceDefaults.Health;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.ServiceDefaults;

public static class Extensions
{
    /// <summary>Telemetry, health checks and answering bad input and failures, the same in every service.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The one clock registration: domain code takes the time from here, never from the system clock, so tests can replace it.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<StatePaths>();
        builder.AddGatehouseTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddGatehouseOpenApi();
        // Enums travel by name in every API, as on the bus: a renumbered member cannot change what a client meant.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // A parameter that does not bind is reported with its reason (by the handler above), not as a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>
    /// In every service's pipeline after authentication (so an anonymous caller gets its 401 first): failures answer as
    /// ProblemDetails without internals, and hostile text in a query, route value or JSON body is refused with a 400
    /// before any endpoint (or the database) sees it.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMiddleware<InputGuard>();
        return app;
    }

    /// <summary>
    /// <c>/health</c> (ready: database and bus answer), <c>/alive</c> (the process runs) and the API's description at
    /// <c>/openapi/v1.json</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapGatehouseOpenApi();
        return app;
    }
}
