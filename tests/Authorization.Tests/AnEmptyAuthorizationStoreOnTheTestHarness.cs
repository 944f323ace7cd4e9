using System.Net.Http.Headers;
using Gatehouse.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests;

/// <summary>
/// Starts with no targets, grants or policies: the Authorization service on the real PostgreSQL (a schema of its own)
/// with MassTransit's in-memory test harness in place of RabbitMQ, for what a consumer decides, which needs no broker.
/// No Authentication service answers here, so only grants to API roles can be issued. Delivery over RabbitMQ is proven
/// on <see cref="AnEmptyAuthorizationStore"/>.
/// </summary>
public sealed class AnEmptyAuthorizationStoreOnTheTestHarness : IAsyncLifetime
{
    private readonly string _schema = Infrastructure.UniqueSchema("authz_harness");
    private WebApplicationFactory<AuthorizationSettings> _factory = null!;

    public ITestHarness Harness => _factory.Services.GetTestHarness();

    public Task InitializeAsync()
    {
        _factory = new ServiceFactory<AuthorizationSettings>("authorization", _schema,
                new Dictionary<string, string?> { ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used-in-tests" })
            .WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            {
                services.AcceptTokensSignedHere();
                // Replaces the RabbitMQ transport and keeps the service's consumers; long enough for a loaded machine.
                services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2)));
            }));
        _factory.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public HttpClient Admin()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokensSignedHere.Token("root-admin", ["admin"]));
        return client;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
    }
}
