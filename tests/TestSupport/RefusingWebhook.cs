using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.TestSupport;

/// <summary>
/// A webhook receiver on a real loopback port that answers 503 to the first attempts of each delivery, then records
/// it, so the sender's retries are exercised. Any path is accepted (one per configured webhook); a delivery is told
/// apart from the others by its path and a key taken from its body.
/// </summary>
public sealed class RefusingWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int _refuseFirst;
    private readonly Func<JsonObject, string> _deliveryOf;
    private readonly Func<JsonObject, bool> _refuseAlways;
    private readonly ConcurrentDictionary<(string Path, string Delivery), int> _attempts = new();

    private RefusingWebhook(WebApplication app, int refuseFirst, Func<JsonObject, string> deliveryOf, Func<JsonObject, bool> refuseAlways)
    {
        _app = app;
        _refuseFirst = refuseFirst;
        _deliveryOf = deliveryOf;
        _refuseAlways = refuseAlways;
    }

    /// <summary>The deliveries accepted, in the order they came, by path (without the leading slash).</summary>
    public ConcurrentQueue<(string Path, JsonObject Body)> Received { get; } = new();

    public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    /// <param name="refuseFirst">How many attempts of each delivery are refused before one is accepted.</param>
    /// <param name="deliveryOf">What names a delivery in its body, so that its retries count together.</param>
    /// <param name="refuseAlways">Deliveries refused every time, as by a receiver that stays down.</param>
    public static async Task<RefusingWebhook> StartAsync(int refuseFirst, Func<JsonObject, string> deliveryOf, Func<JsonObject, bool>? refuseAlways = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new RefusingWebhook(builder.Build(), refuseFirst, deliveryOf, refuseAlways ?? (_ => false));
        receiver._app.MapPost("/{path}", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>How many times the delivery named <paramref name="delivery"/> was attempted on <paramref name="path"/>.</summary>
    public int AttemptsFor(string path, string delivery) => _attempts.GetValueOrDefault((path, delivery));

    /// <summary>How many attempts on <paramref name="path"/> were of deliveries whose name matches.</summary>
    public int AttemptsFor(string path, Func<string, bool> deliveryMatches) =>
        _attempts.Where(a => a.Key.Path == path && deliveryMatches(a.Key.Delivery)).Sum(a => a.Value);

    private async Task<IResult> ReceiveAsync(string path, HttpRequest request)
    {
        var body = (await JsonSerializer.DeserializeAsync<JsonObject>(request.Body))!;
        if (_attempts.AddOrUpdate((path, _deliveryOf(body)), 1, (_, n) => n + 1) <= _refuseFirst || _refuseAlways(body))
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Received.Enqueue((path, body));
        return Results.Accepted();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
