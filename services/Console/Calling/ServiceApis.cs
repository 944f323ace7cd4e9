using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace Gatehouse.WebConsole.Calling;

public enum GatehouseService
{
    Authentication,
    Authorization,
    SessionBroker,
    Audit,
}

/// <summary>A service's answer: the value when it succeeded, else its status and reason as the API gave them.</summary>
/// <param name="FieldErrors">A refused request's reasons by field, as the API's validation problem named them (camelCase).</param>
public sealed record ApiAnswer<T>(HttpStatusCode Status, T? Value, string? Problem, IReadOnlyDictionary<string, string[]>? FieldErrors = null)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;
}

/// <summary>The person's API token no longer works (expired, revoked, user disabled): the console signs them out.</summary>
public sealed class SignInEndedException() : Exception("The API token of this sign-in is no longer accepted");

/// <summary>
/// Calls the four services on the signed-in person's behalf, with their own API token: the services decide what the
/// person may do and audit it under their name, exactly as for the CLI.
/// </summary>
public sealed class ServiceApis(IHttpClientFactory clients, IHttpContextAccessor http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<ApiAnswer<T>> GetAsync<T>(GatehouseService service, string path, CancellationToken cancellationToken) =>
        CallAsync<T>(service, new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<ApiAnswer<T>> PostAsync<T>(GatehouseService service, string path, object body, CancellationToken cancellationToken) =>
        CallAsync<T>(service, new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    public Task<ApiAnswer<T>> PutAsync<T>(GatehouseService service, string path, object body, CancellationToken cancellationToken) =>
        CallAsync<T>(service, new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);

    public Task<ApiAnswer<T>> DeleteAsync<T>(GatehouseService service, string path, CancellationToken cancellationToken) =>
        CallAsync<T>(service, new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    /// <summary>A service that does not answer is said so on the page (503), never taken for an empty answer.</summary>
    private async Task<ApiAnswer<T>> CallAsync<T>(GatehouseService service, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(service, request, cancellationToken);
            return await AnswerAsync<T>(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ApiAnswer<T>(HttpStatusCode.ServiceUnavailable, default, $"The {service} service does not answer; nothing was done. Try again shortly.");
        }
    }

    /// <summary>The raw answer (a recording to stream through); the caller disposes it.</summary>
    public Task<HttpResponseMessage> SendAsync(GatehouseService service, HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(service, request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    public async Task<HttpResponseMessage> SendAsync(GatehouseService service, HttpRequestMessage request, HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("A service call outside a request has nobody to act for");
        var token = await context.GetTokenAsync(TokenName) ?? throw new SignInEndedException();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var client = clients.CreateClient(service.ToString());
        var response = await client.SendAsync(request, completion, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw new SignInEndedException();
        }

        return response;
    }

    /// <summary>Where the API token is kept in the (server-side) sign-in ticket.</summary>
    public const string TokenName = "access_token";

    private static async Task<ApiAnswer<T>> AnswerAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? new ApiAnswer<T>(response.StatusCode, response.Content.Headers.ContentLength == 0 ? default
                : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null)
            : await RefusalAsync<T>(response, cancellationToken);

    private static async Task<ApiAnswer<T>> RefusalAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await ProblemTextAsync(response, cancellationToken);
        return new ApiAnswer<T>(response.StatusCode, default, text, FieldErrors(await response.Content.ReadAsStringAsync(cancellationToken)));
    }

    /// <summary>The "errors" of a validation problem: each field's reasons, or null when the answer names none.</summary>
    private static Dictionary<string, string[]>? FieldErrors(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Object
                ? errors.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Array).ToDictionary(f => f.Name,
                    f => f.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A refusal as one line for a person: the ProblemDetails' detail (or title) and each field's reasons.</summary>
    public static async Task<string> ProblemTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return root.GetString() ?? "";
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                var parts = new List<string>();
                if ((root.TryGetProperty("detail", out var detail) || root.TryGetProperty("title", out detail)) && detail.ValueKind == JsonValueKind.String)
                {
                    parts.Add(detail.GetString()!);
                }

                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    parts.AddRange(errors.EnumerateObject().SelectMany(field => field.Value.EnumerateArray().Select(e => $"{field.Name}: {e.GetString()}")));
                }

                if (parts.Count > 0)
                {
                    return string.Join("; ", parts);
                }
            }
        }
        catch (JsonException)
        {
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden => "Your roles do not permit this.",
            HttpStatusCode.NotFound => "Not found.",
            _ => $"The service answered {(int)response.StatusCode}.",
        };
    }
}
