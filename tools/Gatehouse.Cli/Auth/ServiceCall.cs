using System.Net.Http.Json;
using System.Text.Json;

namespace Gatehouse.Cli.Auth;

/// <summary>Calls one admin API and turns its answer into output and an exit code, showing ProblemDetails as plain reasons.</summary>
public static class ServiceCall
{
    // Output is for a terminal, not a web page: escaping '+' as \u002B would garble the key fingerprints operators copy.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(CliContext context, Uri service, Func<HttpClient, Task<HttpResponseMessage>> call,
        Func<JsonElement?, Task>? onSuccess = null)
    {
        using var client = context.Client(service);
        HttpResponseMessage response;
        try
        {
            response = await call(client);
        }
        catch (HttpRequestException ex)
        {
            await context.Error.WriteLineAsync($"Cannot reach {service}: {ex.Message}");
            return 2;
        }

        using (response)
        {
            var body = response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadAsStringAsync();
            JsonElement? json = string.IsNullOrWhiteSpace(body) ? null : TryParse(body);
            if (response.IsSuccessStatusCode)
            {
                if (onSuccess is not null)
                {
                    await onSuccess(json);
                }
                else if (json is { } value)
                {
                    await context.Out.WriteLineAsync(JsonSerializer.Serialize(value, Json));
                }

                return 0;
            }

            await context.Error.WriteLineAsync(Describe((int)response.StatusCode, json, body));
            return 1;
        }
    }

    public static Task<HttpResponseMessage> PostJson(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body, Json);

    /// <summary>Reads a secret from the terminal without echo, or one line from stdin when it is redirected.</summary>
    public static string ReadSecret(CliContext context, string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine() ?? "";
        }

        context.Error.Write(prompt);
        var secret = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                secret.Length = Math.Max(0, secret.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }

        context.Error.WriteLine();
        return secret.ToString();
    }

    private static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(int status, JsonElement? json, string? body)
    {
        if (json is not { ValueKind: JsonValueKind.Object } problem)
        {
            return status switch
            {
                401 => "Not authenticated: run 'gatehouse login' and set GATEHOUSE_TOKEN_FILE.",
                403 => "Not allowed: your token's roles do not permit this; ask an administrator for the role it needs.",
                _ => $"Failed ({status}){(string.IsNullOrWhiteSpace(body) ? "" : ": " + body)}",
            };
        }

        var lines = new List<string> { $"Failed ({status}): " + (problem.TryGetProperty("detail", out var detail) ? detail.GetString()
            : problem.TryGetProperty("title", out var title) ? title.GetString() : "") };
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            lines.AddRange(errors.EnumerateObject().SelectMany(field => field.Value.EnumerateArray().Select(e => $"  {field.Name}: {e.GetString()}")));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
