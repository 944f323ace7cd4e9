using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Authentication.Tests.Support;

/// <summary>Another Gatehouse service, validating tokens only through the Authentication service's JWKS.</summary>
public sealed class OtherService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtherService(WebApplication app) => _app = app;

    public static async Task<OtherService> StartAsync(ServiceWithFirstAdmin fixture, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(Infrastructure.ServiceConfiguration("audit", "unused"))
        {
            ["Gatehouse:Api:JwksUrl"] = "http://localhost/.well-known/jwks.json",
        });
        builder.Configuration.AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        // On the run's bus like any host, so it asks Authentication about a token's user and hears user changes.
        builder.AddGatehouseBus();
        builder.AddGatehouseApiAuthentication();
        builder.Services.AddHttpClient(ApiAuthenticationExtensions.JwksHttpClient)
            .ConfigurePrimaryHttpMessageHandler(() => fixture.Service.Server.CreateHandler());
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        app.MapGet("/audit", () => "secret stuff").RequireAuthorization(GatehousePolicies.SocAnalyst);
        await app.StartAsync();
        return new OtherService(app);
    }

    public HttpClient Client(string? token)
    {
        var client = _app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
