using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.Auditing;

/// <summary>
/// The SessionBroker's admin API records what it refuses (<see cref="GatewayChangeRefused"/>) as Authorization and
/// Authentication do: a write without the role, and a write naming a live session that does not exist.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_someone_changes_the_gateway_they_should_not(GatehouseStack stack)
{
    [Fact]
    public async Task A_ca_rotation_without_the_admin_role_and_terminating_an_unknown_session_are_recorded()
    {
        var intruder = await stack.CreateUserAsync("gw-intruder");
        const string password = "the gateway intruder's own password";
        await stack.SetPasswordAsync(intruder, password);
        using var anonymous = new HttpClient { BaseAddress = stack.AuthenticationAdmin.BaseAddress };
        var token = await TokensFromAuthentication.SignInAsync(anonymous, intruder.Name, password);
        using var asIntruder = new HttpClient
        {
            BaseAddress = stack.BrokerAdmin.BaseAddress, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        };
        var unknown = Guid.NewGuid();

        var rotated = await asIntruder.PostAsJsonAsync("api/ca/user/rotate", new { reason = "mine now" });
        var terminated = await stack.BrokerAdmin.PostAsJsonAsync($"api/sessions/{unknown}/terminate", new { reason = "probing ids" });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (rotated.StatusCode, terminated.StatusCode));
        var refusals = await RefusalsAsync(r => r.Actor == intruder.Name || r.Subject == $"sessionId={unknown}", 2);
        Assert.Contains(refusals, r => (r.Actor, r.Change, r.Reason, r.Subject) == (intruder.Name, "POST /api/ca/{kind}/rotate", ChangeRefusalReason.Forbidden, "kind=user"));
        Assert.Contains(refusals, r => (r.Change, r.Reason) == ("POST /api/sessions/{sessionId:guid}/terminate", ChangeRefusalReason.NotFound));
    }

    private async Task<IReadOnlyList<GatewayChangeRefused>> RefusalsAsync(Func<GatewayChangeRefused, bool> which, int expected)
    {
        // Recorded as the answer leaves: the client can have it a moment before the record is saved.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var refusals = (await stack.BrokerEventsAsync(e => e is GatewayChangeRefused r && which(r))).Cast<GatewayChangeRefused>().ToList();
            if (refusals.Count >= expected || DateTime.UtcNow > deadline)
            {
                return refusals;
            }

            await Task.Delay(200);
        }
    }
}
