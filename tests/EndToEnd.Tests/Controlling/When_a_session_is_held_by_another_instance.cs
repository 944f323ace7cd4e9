using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.ListingSessions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>
/// Any instance of the gateway answers for the whole gateway: a session relayed by one instance is listed and ended
/// through another's API, and an id no instance holds is a 404 from either.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_is_held_by_another_instance(GatehouseStack stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task Another_instance_lists_it_and_ends_it_and_an_unknown_id_is_404()
    {
        await using var other = stack.StartAnotherBroker();
        var addresses = other.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        using var otherApi = new HttpClient
        {
            BaseAddress = new Uri(addresses.Addresses.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/"),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", stack.AdminToken) },
        };
        var (user, target, _) = await stack.AUserWithAGrantAsync("elsewhere", "ha");
        var live = stack.Broker.GetRequiredService<LiveSessions>();

        var ssh = OpenSsh.SshAsync(stack, user, target, "echo started; sleep 60", timeout: TimeSpan.FromSeconds(60));
        var session = await WaitForAsync(() => live.List().FirstOrDefault(s => s.UserName == user.Name && s.BytesToClient > 0));
        Assert.Empty(other.Services.GetRequiredService<LiveSessions>().List());

        var listed = await otherApi.GetFromJsonAsync<GatewayLiveView>("api/live", Json);
        Assert.Contains(listed!.Sessions, s => s.SessionId == session.SessionId);
        Assert.Equal(2, listed.Instances.Count);

        var unknown = await otherApi.PostAsJsonAsync($"api/sessions/{Guid.NewGuid()}/terminate", new { reason = "no such session" });
        var terminated = await otherApi.PostAsJsonAsync($"api/sessions/{session.SessionId}/terminate", new { reason = "ended from the other instance" });

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Accepted), (unknown.StatusCode, terminated.StatusCode));
        var result = await ssh;
        Assert.Contains("ended from the other instance", result.Error);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the session never went live");
    }
}
