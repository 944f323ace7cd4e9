using Gatehouse.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Audit.Tests.Soc;

/// <summary>The shared exception handler: the caller's fault keeps its 4xx and reason; a server fault is a 500 that leaks nothing.</summary>
public sealed class When_a_request_fails
{
    [Fact]
    public async Task Should_answer_a_server_fault_with_a_500_that_names_no_internals()
    {
        var (context, body) = Context();

        var handled = await Handler(context).TryHandleAsync(context,
            new InvalidOperationException("Host=db.internal;Password=hunter2 failed at Npgsql.Connector"), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        var text = Read(body);
        Assert.Contains("trace id", text);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("Npgsql", text);
    }

    [Fact]
    public async Task Should_answer_a_parameter_that_does_not_bind_with_its_status_and_reason()
    {
        var (context, body) = Context();

        await Handler(context).TryHandleAsync(context,
            new BadHttpRequestException("Failed to bind parameter \"int? limit\" from \"abc\".", StatusCodes.Status400BadRequest), CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Contains("int? limit", Read(body));
    }

    private static ProblemExceptionHandler Handler(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);

    private static (HttpContext Context, MemoryStream Body) Context()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services, Response = { Body = body } };
        context.Request.Headers.Accept = "application/json";
        return (context, body);
    }

    private static string Read(MemoryStream body) => System.Text.Encoding.UTF8.GetString(body.ToArray());
}
