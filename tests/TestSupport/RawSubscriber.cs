using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.TestSupport;

/// <summary>
/// An outside system's view of the bus: its own queue bound to the exchange MassTransit publishes a message type to,
/// read as raw JSON envelopes through the RabbitMQ management API, with no MassTransit in between.
/// </summary>
public sealed class RawSubscriber : IAsyncDisposable
{
    private readonly HttpClient _management = Infrastructure.RabbitMqManagement();
    private readonly string _queue;

    private RawSubscriber(string queue) => _queue = queue;

    private static string VirtualHost => Uri.EscapeDataString(Infrastructure.TestVirtualHost);

    /// <summary>Binds a new queue to the exchange of <typeparamref name="T"/> (declared as MassTransit declares it, if no one has yet).</summary>
    public static async Task<RawSubscriber> BindAsync<T>()
    {
        var exchange = Uri.EscapeDataString($"{typeof(T).Namespace}:{typeof(T).Name}");
        var subscriber = new RawSubscriber($"raw-subscriber-{Guid.NewGuid():N}");
        var queue = Uri.EscapeDataString(subscriber._queue);
        await subscriber.SendAsync(HttpMethod.Put, $"exchanges/{VirtualHost}/{exchange}",
            new { type = "fanout", durable = true, auto_delete = false, @internal = false, arguments = new { } });
        await subscriber.SendAsync(HttpMethod.Put, $"queues/{VirtualHost}/{queue}", new { durable = false, auto_delete = false, arguments = new { } });
        await subscriber.SendAsync(HttpMethod.Post, $"bindings/{VirtualHost}/e/{exchange}/q/{queue}", new { routing_key = "", arguments = new { } });
        return subscriber;
    }

    /// <summary>Waits for the first envelope whose message matches, taking every envelope it reads off the queue.</summary>
    public async Task<JsonObject> ReceiveAsync(Func<JsonObject, bool> message, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            using var response = await _management.PostAsJsonAsync($"queues/{VirtualHost}/{Uri.EscapeDataString(_queue)}/get",
                new { count = 50, ackmode = "ack_requeue_false", encoding = "auto" });
            response.EnsureSuccessStatusCode();
            foreach (var delivered in (await response.Content.ReadFromJsonAsync<JsonArray>())!)
            {
                var envelope = JsonNode.Parse(delivered!["payload"]!.GetValue<string>())!.AsObject();
                if (envelope["message"] is JsonObject body && message(body))
                {
                    return envelope;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching message reached {_queue} within {within}");
            }

            await Task.Delay(200);
        }
    }

    private async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var response = await _management.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        using (await _management.DeleteAsync($"queues/{VirtualHost}/{Uri.EscapeDataString(_queue)}"))
        {
        }

        _management.Dispose();
    }
}
