using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.TestSupport;

/// <summary>
/// Hosts a real service (its own Program) against the real PostgreSQL and RabbitMQ, in a schema of its own.
/// Dispose drops nothing: call <see cref="Infrastructure.DropSchemaAsync"/> from the fixture that owns the schema.
/// </summary>
public class ServiceFactory<TEntryPoint>(string service, string schema, IDictionary<string, string?>? overrides = null)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public string Schema { get; } = schema;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config =>
        {
            config.AddInMemoryCollection(Infrastructure.ServiceConfiguration(service, Schema));
            if (overrides is not null)
            {
                config.AddInMemoryCollection(overrides);
            }
        });
    }
}
