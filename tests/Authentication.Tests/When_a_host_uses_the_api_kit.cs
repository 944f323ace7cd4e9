using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Claims;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Settings;
using JasperFx;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gatehouse.Authentication.Tests;

/// <summary>The shared pieces every host uses: settings registration, event ids and the reading of a failed save.</summary>
public class When_a_host_uses_the_api_kit
{
    public sealed class SampleSettings
    {
        [Range(1, 10)]
        public int Retries { get; set; } = 3;

        public string Name { get; set; } = "ok";
    }

    private static IReadOnlyList<string> Problems(SampleSettings settings) =>
        settings.Name.Length == 0 ? ["Sample:Name must not be empty"] : [];

    [Fact]
    public void Should_bind_settings_and_report_every_problem_at_once()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sample:Retries"] = "99", ["Sample:Name"] = "" })
            .Build();
        var services = new ServiceCollection();
        services.AddSettings<SampleSettings>(configuration.GetSection("Sample"), Problems);
        using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SampleSettings>>().Value);

        Assert.Contains(refused.Failures, f => f.Contains("Retries", StringComparison.Ordinal));
        Assert.Contains("Sample:Name must not be empty", refused.Failures);
        // Refused at start, not at first use.
        Assert.Contains(services, d => d.ServiceType.Name == "IStartupValidator");
    }

    [Fact]
    public void Should_make_version_7_event_ids_that_carry_the_events_time()
    {
        var at = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

        var first = EventIds.New(at);
        var later = EventIds.New(at.AddSeconds(1));

        Assert.Equal(7, first.Version);
        Assert.True(string.CompareOrdinal(first.ToString("N"), later.ToString("N")) < 0);
    }

    [Fact]
    public void Should_recognise_a_conflict_however_the_store_reports_it()
    {
        // Sign-in saw only version conflicts; the admin endpoints only a single exception: each now sees both.
        Assert.True(StoreErrors.IsConflict(new AggregateException(new ConcurrencyException("moved on", null!), new ConcurrencyException("moved on", null!))));
        Assert.True(StoreErrors.IsConflict(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        Assert.False(StoreErrors.IsConflict(new PostgresException("no such table", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable)));
        Assert.False(StoreErrors.IsConflict(new InvalidOperationException("something else")));
    }

    [Fact]
    public async Task Should_answer_input_errors_with_one_400_naming_each_field_and_store_conflicts_with_one_409()
    {
        var errors = new InputErrors();
        errors.Add("name", "is required");
        errors.Add("name", "is too long");
        errors.Required("reason", " ");

        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await errors.ToResult().ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var problem = (await System.Text.Json.JsonSerializer.DeserializeAsync<HttpValidationProblemDetails>(context.Response.Body,
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!;

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal(InputErrors.Title, problem.Title);
        Assert.Equal(["is required", "is too long"], problem.Errors["name"]);
        Assert.Equal(["is required"], problem.Errors["reason"]);
        Assert.Equal(["name", "reason"], errors.Keys);
        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(ApiProblems.Conflict("taken")).StatusCode);
    }

    [Fact]
    public async Task Should_take_the_caller_from_the_tokens_subject_and_have_none_without_one()
    {
        var at = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new FixedClock(at)).BuildServiceProvider();
        var signedIn = new DefaultHttpContext { RequestServices = services };
        signedIn.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "olga")], "Bearer", "sub", "role"));
        signedIn.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.9");
        var anonymous = new DefaultHttpContext { RequestServices = services };

        var caller = await ApiCaller.BindAsync(signedIn);

        Assert.Equal(("olga", "10.0.0.9", at), (caller!.Name, caller.SourceAddress, caller.Now));
        Assert.Equal(7, caller.NewEventId().Version);
        // No "anonymous" or "unknown": without a subject there is no caller, and an open endpoint names who acts.
        Assert.Null(await ApiCaller.BindAsync(anonymous));
        Assert.Equal("bootstrap", ApiCaller.Acting(anonymous, "bootstrap").Name);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
