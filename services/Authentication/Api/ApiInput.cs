using System.Text.Json;

namespace Gatehouse.Authentication.Api;

/// <summary>
/// Reads request bodies strictly: JSON only, and every problem reported as ProblemDetails. The size is bounded before
/// this, by the shared input guard.
/// </summary>
public static class ApiInput
{
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type", detail: "Send the request body as application/json."));
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
    }

    public static IResult Invalid(string field, string error) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    public static IResult Invalid(Dictionary<string, string[]> errors) => Results.ValidationProblem(errors);

    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static IResult Conflict(string detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
