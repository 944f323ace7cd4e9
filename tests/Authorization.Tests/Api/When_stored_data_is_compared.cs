using System.Net;
using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>
/// The <see cref="StoredData"/> the hostile-input tests are judged by: the records of refused requests leave it as it
/// was, a change does not, and a type the store does not know cannot be left out by mistake.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public sealed class When_stored_data_is_compared(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_stay_equal_through_a_refused_change_and_differ_after_a_done_one()
    {
        var actor = $"ops-{Guid.NewGuid():N}"[..20];
        using var admin = service.As(actor, "admin");
        var before = await service.StoredDataAsync();

        var hostile = await admin.PutAsJsonAsync("/api/targets/web%0A01", new { address = "10.0.0.1", logins = new[] { "root" } });

        Assert.Equal(HttpStatusCode.BadRequest, hostile.StatusCode);
        Assert.NotEmpty(await service.RefusalsAsync(actor));
        Assert.Equal(before, await service.StoredDataAsync());

        var defined = await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = $"dba-{Guid.NewGuid():N}"[..20] });

        Assert.True(defined.IsSuccessStatusCode);
        var after = await service.StoredDataAsync();
        Assert.NotEqual(before, after);
        Assert.Equal(before.Total + 1, after.Total);
    }

    [Fact]
    public async Task Should_refuse_to_leave_out_a_type_the_store_does_not_know()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => StoredData.InAsync(service.Services, typeof(AccessChangeRefused), typeof(string)));

        Assert.Contains("String is not an event type", refused.Message);
    }
}
