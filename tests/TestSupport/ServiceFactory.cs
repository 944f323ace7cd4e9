using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.TestSupport;

/// <summary>
/// Hosts a real service (any public type of its assembly names it, e.g. its Program) against the real PostgreSQL and RabbitMQ, in a schema of its own.
/// Dispose drops nothing: call <see cref="Infrastructure.DropSchemaAsync"/> from the fixture that owns the schema.
/// </summary>
public class ServiceFactory<TEntryPoint>(string service, string schema, IDictionary<string, string?>? overrides = null)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public string Schema { get; } = schema;

    private static readonly Dictionary<string, string> ServiceFolders = new()
    {
        ["authentication"] = "services/Authentication",
        ["authorization"] = "services/Authorization",
        ["session-broker"] = "services/SessionBroker",
        ["audit"] = "services/Audit",
    };

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Benchmarks and tools have no test manifest, so say where the service's content root is.
        builder.UseContentRoot(Path.Combine(Infrastructure.RepositoryRoot, ServiceFolders[service]));
        return base.CreateHost(builder);
    }

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
