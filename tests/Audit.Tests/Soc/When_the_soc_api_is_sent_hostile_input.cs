using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Integrity;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Gatehouse.TestSupport;
using Xunit.Abstractions;

namespace Gatehouse.Audit.Tests.Soc;

/// <summary>Every query and route parameter of the SOC API, probed with hostile values: a 400 with the reason, never a 5xx.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_the_soc_api_is_sent_hostile_input(AnAuditStoreFedByAProducer pipeline, ITestOutputHelper output)
{
    // Reading is itself recorded, a refused action too (an unknown alert id is a refusal), and the sealer and the rules
    // append as they run: none of that is data a request changed.
    private static readonly Type[] Bookkeeping = [typeof(AuditTrailRead), typeof(AuditChangeRefused), typeof(DigestSealed), typeof(AlertRaised), typeof(AlertPaged)];

    [Fact]
    public async Task Should_refuse_nul_in_free_text_with_a_400_naming_it()
    {
        using var client = pipeline.Audit.As("fuzz-admin", "admin", "soc-analyst");

        var response = await client.GetAsync("/api/audit/events?q=%00%00%00");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"q\"", problem);
        Assert.Contains("NUL", problem);
    }

    [Theory]
    [InlineData("/api/audit/events?limit=abc", "limit")]
    [InlineData("/api/audit/events?from=2026-02-30T25:61:00Z", "from")]
    [InlineData("/api/audit/sessions?open=maybe", "open")]
    public async Task Should_say_which_parameter_does_not_parse(string url, string parameter)
    {
        using var client = pipeline.Audit.As("fuzz-admin", "admin", "soc-analyst");

        var response = await client.GetAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_never_answer_5xx_nor_change_what_is_stored()
    {
        using var client = pipeline.Audit.As("fuzz-admin", "admin", "soc-analyst");
        var before = await StoredAsync();

        var report = await HostileInput.ProbeAsync(client, pipeline.Audit.Services, TimeSpan.FromMinutes(3));

        output.WriteLine($"{report.Requests} requests to {report.Endpoints.Count} endpoints in {report.Took.TotalSeconds:0.0} s:\n{string.Join("\n", report.Endpoints)}");
        Assert.Contains(report.Endpoints, e => e.Template == "/api/audit/events" && e.QueryParameters.Contains("q"));
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(before, await StoredAsync());
    }

    private Task<StoredData> StoredAsync() => StoredData.InAsync(pipeline.Audit.Services, Bookkeeping);
}
