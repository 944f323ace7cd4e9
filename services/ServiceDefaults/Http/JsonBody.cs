using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// Reads a request body strictly where an endpoint reads it itself: JSON only, and every problem answered as
/// ProblemDetails. The size is bounded before this, by the <see cref="InputGuard"/>.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type", detail: "Send the request body as application/json."));
        }

        try
        {
            var value = await request.ReadFromJsonAsync<T>(request.HttpContext.RequestAborted);
            return value is null ? (null, InputErrors.Invalid("body", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, InputErrors.Invalid("body", $"The body is not valid JSON for this request: {ex.Message}"));
        }
    }
}
