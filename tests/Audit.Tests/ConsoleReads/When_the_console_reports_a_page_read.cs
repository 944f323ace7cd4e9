using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Tests.EventPipeline;

namespace Gatehouse.Audit.Tests.ConsoleReads;

[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_the_console_reports_a_page_read(AnAuditStoreFedByAProducer pipeline)
{
    [Fact]
    public async Task Should_store_it_under_the_token_subject_before_answering()
    {
        var reader = $"viewer-{Guid.NewGuid():N}"[..20];
        using var client = pipeline.Audit.As(reader, "user");

        using var reported = await client.PostAsJsonAsync("/api/audit/console/page-reads",
            new { page = "/sessions", query = "user=olga&target=db01", statusCode = 200, sourceAddress = "198.51.100.7" });
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);

        // Stored before the answer: the first query finds it.
        using var analyst = pipeline.Audit.Analyst();
        var reads = (await analyst.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?type=ConsolePageRead&actor={reader}", AuditService.Json))!;
        var read = Assert.Single(reads.Events);
        Assert.Equal("/sessions", read.Data.GetProperty("page").GetString());
        Assert.Equal("user=olga&target=db01", read.Data.GetProperty("query").GetString());
        Assert.Equal(200, read.Data.GetProperty("statusCode").GetInt32());
        Assert.Equal("198.51.100.7", read.SourceAddress);
        Assert.Equal(reader, read.UserName);
        // The in-memory test server has no peer address; the console tests see the console's own.
        Assert.True(read.Data.TryGetProperty("reportedBy", out _));
    }

    [Theory]
    [InlineData("{\"page\":\"sessions\",\"statusCode\":200}", "page")]
    [InlineData("{\"statusCode\":200}", "page")]
    [InlineData("{\"page\":\"/sessions\",\"statusCode\":42}", "statusCode")]
    [InlineData("{\"page\":\"/sessions\",\"statusCode\":200,\"sourceAddress\":\"somewhere\"}", "sourceAddress")]
    [InlineData("{\"page\":\"/sessions\",\"query\":\"a\\nb\",\"statusCode\":200}", "query")]
    public async Task Should_refuse_an_invalid_report_naming_the_field(string body, string field)
    {
        using var client = pipeline.Audit.As($"viewer-{Guid.NewGuid():N}"[..20], "user");
        using var answer = await client.PostAsync("/api/audit/console/page-reads", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Should_refuse_a_report_without_a_token()
    {
        using var anonymous = pipeline.Audit.CreateClient();
        using var answer = await anonymous.PostAsJsonAsync("/api/audit/console/page-reads", new { page = "/sessions", statusCode = 200 });
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }
}
