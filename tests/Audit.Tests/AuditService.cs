using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Audit.Tests;

/// <summary>
/// Starts the real Audit service for tests: API tokens are ES256 and signed with a key made here, as the
/// Authentication service would sign them; the digest signing key is made here too.
/// </summary>
public static class AuditService
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly string DigestSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static WebApplicationFactory<Program> Start(string schema, IDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? services = null, bool onRealPort = false)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used-in-tests",
            ["Gatehouse:Audit:Integrity:SigningKey"] = DigestSigningKey,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var factory = new AuditFactory(schema, configuration, services);
        if (onRealPort)
        {
            // So the gatehouse CLI can be tested against it as operators use it.
            factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            factory.StartServer();
        }

        factory.CreateClient().Dispose();
        return factory;
    }

    /// <summary>An API client of the service carrying a token for <paramref name="user"/> with <paramref name="roles"/>.</summary>
    public static HttpClient As(this WebApplicationFactory<Program> audit, string user, params string[] roles)
    {
        var client = audit.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user, roles));
        return client;
    }

    public static Uri RealAddress(this WebApplicationFactory<Program> audit)
    {
        var listening = audit.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        return new Uri(listening.Addresses.Single() + "/");
    }

    public static HttpClient Analyst(this WebApplicationFactory<Program> audit) => audit.As("sam-analyst", "soc-analyst");

    /// <summary>Records the events straight into the audit store (no bus needed), one after another.</summary>
    public static async Task RecordAsync(this WebApplicationFactory<Program> audit, IEnumerable<IAccessEvent> events)
    {
        var writer = audit.Services.GetRequiredService<AuditWriter>();
        foreach (var accessEvent in events)
        {
            await writer.RecordAsync(accessEvent, null, CancellationToken.None);
        }
    }

    public static string Token(string user, params string[] roles) => TokensSignedHere.Token(user, roles);

    /// <summary>Configured by subclassing, not WithWebHostBuilder: disposing a derived factory leaves the first one's bus running.</summary>
    private sealed class AuditFactory(string schema, IDictionary<string, string?> configuration, Action<IServiceCollection>? services)
        : ServiceFactory<Program>("audit", schema, configuration)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s =>
            {
                // A test that stops the service right after starting it must not leave a bus starting behind it.
                s.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
                s.AcceptTokensSignedHere();
                services?.Invoke(s);
            });
        }
    }
}
