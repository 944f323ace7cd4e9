using System.Security.Claims;
using System.Text.Json;
using Gatehouse.ServiceDefaults.EventStore;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Authentication.Api;

/// <summary>Who is acting through the admin API, from where, within which request — for the events it appends.</summary>
public sealed record ApiCaller(string Actor, string? SourceAddress, string CorrelationId, DateTimeOffset Now)
{
    public static ApiCaller From(HttpContext http, TimeProvider clock) => new(
        http.User.FindFirstValue("sub") ?? "anonymous",
        http.Connection.RemoteIpAddress?.ToString(),
        CorrelationIds.OfCurrentTrace(),
        clock.GetUtcNow());

    public Guid NewEventId() => Guid.CreateVersion7(Now);
}

/// <summary>Reads request bodies strictly: JSON only, bounded, and every problem reported as ProblemDetails.</summary>
public static class ApiInput
{
    public const long MaxBodyBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type", detail: "Send the request body as application/json."));
        }

        // The shared input guard may have buffered the body already: then its length is known whatever was announced.
        if (request.ContentLength > MaxBodyBytes || (request.Body.CanSeek && request.Body.Length > MaxBodyBytes))
        {
            return (null, TooLarge());
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            var value = await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted);
            return value is null ? (null, Invalid("body", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Invalid("body", $"The body is not valid JSON for this request: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    public static IResult Invalid(string field, string error) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    public static IResult Invalid(Dictionary<string, string[]> errors) => Results.ValidationProblem(errors);

    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static IResult Conflict(string detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    private static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request too large", detail: $"The body must be at most {MaxBodyBytes} bytes.");
}
