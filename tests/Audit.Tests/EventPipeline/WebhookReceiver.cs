using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Audit.Tests.EventPipeline;

/// <summary>A webhook endpoint on a real port that refuses the first attempts of every page, then accepts (some pages never).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, JsonObject Body)> Received { get; } = new();

    public int FailFirst { get; init; } = 2;

    /// <summary>Pages about users whose name starts with this are refused every time, as by a receiver that stays down.</summary>
    public const string Unreachable = "unpaged";

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { FailFirst = failFirst };
        app.MapPost("/{kind}", async (string kind, HttpRequest request) =>
        {
            var body = (await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(request.Body))!;
            var key = kind + ":" + (body["alertId"] ?? body["dedup_key"])!.ToString();
            var about = (body["userName"] ?? body["payload"]?["custom_details"]?["userName"])?.ToString() ?? "";
            if (receiver._attempts.AddOrUpdate(key, 1, (_, n) => n + 1) <= receiver.FailFirst || about.StartsWith(Unreachable, StringComparison.Ordinal))
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            receiver.Received.Enqueue((kind, body));
            return Results.Accepted();
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return receiver;
    }

    public int AttemptsFor(string kind, string key) => _attempts.GetValueOrDefault(kind + ":" + key);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
