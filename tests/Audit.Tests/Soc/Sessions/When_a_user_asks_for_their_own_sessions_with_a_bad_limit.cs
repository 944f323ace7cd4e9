using System.Net;
using System.Net.Http.Json;
using Gatehouse.Audit.Soc;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.ServiceDefaults.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Audit.Tests.Soc.Sessions;

/// <summary>A user's own sessions refuse a bad limit in the one problem shape every API answers with, like the SOC's search.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_a_user_asks_for_their_own_sessions_with_a_bad_limit(AnAuditStoreFedByAProducer pipeline)
{
    [Theory]
    [InlineData("/api/audit/own/sessions?limit=0")]
    [InlineData("/api/audit/sessions?limit=0")]
    public async Task Should_answer_the_shared_400_naming_the_limit(string url)
    {
        using var client = pipeline.Audit.As("own-ann", "soc-analyst");

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal(InputErrors.Title, problem.Title);
        Assert.Equal([$"limit must be between 1 and {SocEndpoints.MaxLimit}"], problem.Errors["limit"]);
    }
}
