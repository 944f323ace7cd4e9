using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// Refuses hostile text before any endpoint sees it, the same way in every service: a query or route value, or a string
/// in a JSON body, that <see cref="InputText"/> refuses is answered with a 400 ProblemDetails naming the parameter.
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    /// <summary>
    /// The one body limit of every API: the largest real body (a public key, a policy) is a few KiB; the bound keeps
    /// the scan (and a flood) cheap.
    /// </summary>
    public const int MaxJsonBodyBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var errors = new InputErrors();
        foreach (var (key, values) in context.Request.Query)
        {
            Check(errors, key, key, InputText.MaxValueLength);
            foreach (var value in values)
            {
                Check(errors, key, value ?? "", InputText.MaxValueLength);
            }
        }

        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is string text)
            {
                Check(errors, key, text, InputText.MaxValueLength);
            }
        }

        if (!errors.Any && context.Request.HasJsonContentType() && await CheckJsonBodyAsync(context, errors) is { } tooLarge)
        {
            await tooLarge.ExecuteAsync(context);
            return;
        }

        if (errors.Any)
        {
            await errors.ToResult().ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static void Check(InputErrors errors, string field, string value, int maxLength, bool lineBreaksAllowed = false)
    {
        if (InputText.Problem(value, lineBreaksAllowed, maxLength) is { } problem)
        {
            FirstOnly(errors, InputText.Problem(field, maxLength: 200) is null ? field : "(parameter name)", problem);
        }
    }

    /// <summary>One reason a field is refused is enough: the first.</summary>
    private static void FirstOnly(InputErrors errors, string field, string problem)
    {
        if (!errors.ContainsKey(field))
        {
            errors.Add(field, problem);
        }
    }

    /// <summary>Reads the body once (buffered, so the endpoint reads it again) and checks every string and property name.</summary>
    private static async Task<IResult?> CheckJsonBodyAsync(HttpContext context, InputErrors errors)
    {
        var request = context.Request;
        if (request.ContentLength > MaxJsonBodyBytes)
        {
            return TooLarge();
        }

        request.EnableBuffering(bufferThreshold: MaxJsonBodyBytes, bufferLimit: MaxJsonBodyBytes);
        byte[] body;
        try
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, context.RequestAborted);
            body = copy.ToArray();
        }
        catch (IOException) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The buffer limit was passed by a body that did not announce its length.
            return TooLarge();
        }
        finally
        {
            request.Body.Position = 0;
        }

        ScanJson(body, errors);
        return null;
    }

    private static void ScanJson(byte[] body, InputErrors errors)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var path = new List<string>();
        var indexes = new Stack<int>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path, indexes);
                        indexes.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        path.Add("");
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        indexes.Pop();
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        path[^1] = name;
                        Check(errors, Field(path), name, 200);
                        continue;
                    case JsonTokenType.String:
                        Advance(path, indexes);
                        Check(errors, Field(path), reader.GetString()!, int.MaxValue, lineBreaksAllowed: true);
                        break;
                    default:
                        Advance(path, indexes);
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or text that is not valid UTF-16 once unescaped: the first is the endpoint's to answer.
            if (e is InvalidOperationException)
            {
                FirstOnly(errors, Field(path), "is not valid Unicode text");
            }
        }
    }

    /// <summary>A value inside an array takes the next index; inside an object it sits at the property just read.</summary>
    private static void Advance(List<string> path, Stack<int> indexes)
    {
        if (indexes.TryPeek(out var index) && index >= 0)
        {
            path[^1] = $"[{index}]";
            indexes.Pop();
            indexes.Push(index + 1);
        }
    }

    private static string Field(List<string> path) =>
        path.Count == 0 ? "body" : string.Concat(path.Select((p, i) => i == 0 || p.StartsWith('[') ? p : "." + p)).TrimStart('.') is { Length: > 0 } f ? f : "body";

    private static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request too large", detail: $"A JSON body must be at most {MaxJsonBodyBytes} bytes.");
}
