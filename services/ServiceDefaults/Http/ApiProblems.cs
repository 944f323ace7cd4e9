using Microsoft.AspNetCore.Http;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// The answers every API gives when a request is well formed but cannot be done: the title says which kind, the detail
/// says what to do about it (what the CLI prints).
/// </summary>
public static class ApiProblems
{
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>
    /// The request contradicts what is stored: a name taken, a last admin, or another writer that got there first
    /// (a save that <see cref="EventStore.StoreErrors.IsConflict"/> reads as a conflict).
    /// </summary>
    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>Seconds a client waits before it asks again after a 503 (RFC 9110 §10.2.3): the answer is passing, not final.</summary>
    public const string RetryAfterSeconds = "5";

    /// <summary>
    /// Something the answer depends on could not be asked now: the request was not carried out (fail closed), and may be
    /// tried again after <see cref="RetryAfterSeconds"/>.
    /// </summary>
    public static IResult Unavailable(string detail, string title = "Unavailable") =>
        new RetryLater(Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail));

    private sealed class RetryLater(IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
            return problem.ExecuteAsync(http);
        }
    }
}
