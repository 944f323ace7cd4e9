using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Gatehouse.ServiceDefaults.Http;

public static class OpenApiExtensions
{
    public const string BearerScheme = "Bearer";

    /// <summary>Every host describes its API the same way, saying that calls carry a Gatehouse API token as a bearer JWT.</summary>
    public static IServiceCollection AddGatehouseOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.AddComponent<IOpenApiSecurityScheme>(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Gatehouse API token: gatehouse login, or POST /api/tokens on the Authentication service.",
            });
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document, null)] = [] }];
            return Task.CompletedTask;
        }));

    /// <summary>The document at <c>/openapi/v1.json</c>.</summary>
    public static WebApplication MapGatehouseOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
