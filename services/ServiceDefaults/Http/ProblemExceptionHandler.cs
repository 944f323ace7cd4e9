using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// Answers what escaped an endpoint as ProblemDetails: a request the framework could not bind (a number that is not one,
/// a body that is not JSON) is the caller's fault and gets its status and reason; anything else is a server fault, a 500
/// that says only where to look (the trace id), never the exception.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    private const int MaxReasonLength = 300;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            var reason = badRequest.InnerException is JsonException json ? $"{badRequest.Message} {json.Message}" : badRequest.Message;
            problem = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request is invalid; nothing was done",
                Detail = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] + "…" : reason,
            };
        }
        else
        {
            logger.LogError(exception, "Unhandled error answering {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The service failed to answer; the error is logged under this request's trace id",
            };
        }

        context.Response.StatusCode = problem.Status.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
