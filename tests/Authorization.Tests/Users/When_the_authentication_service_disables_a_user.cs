using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests.Users;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_authentication_service_disables_a_user(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_refuse_them_until_they_are_enabled_again()
    {
        var target = $"dis-{Guid.NewGuid():N}"[..20];
        var user = $"dis-user-{Guid.NewGuid():N}"[..20];
        using var admin = service.Admin();
        await service.CreateUsersAsync(user);
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new { name = target, address = "10.5.5.5", logins = new[] { "root" } })).EnsureSuccessStatusCode();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "User", subject = user, targetNames = new[] { target }, logins = new[] { "root" } })).EnsureSuccessStatusCode();
        var bus = service.Services.GetRequiredService<IBus>();
        var disabledAt = DateTimeOffset.UtcNow;

        // As the Authentication service's outbox publishes them.
        await bus.Publish(new UserDisabled(Guid.NewGuid(), user, "auth-admin", null, "c", Guid.NewGuid(), disabledAt));
        var refused = await EventuallyAsync(user, target, answer => answer is AccessRefused);
        Assert.Equal(AccessDenialReason.UserDisabled, ((AccessRefused)refused).Reason);

        await bus.Publish(new UserEnabled(Guid.NewGuid(), user, "auth-admin", null, "c", Guid.NewGuid(), disabledAt.AddSeconds(1)));
        Assert.IsType<AccessAllowed>(await EventuallyAsync(user, target, answer => answer is AccessAllowed));
    }

    private async Task<object> EventuallyAsync(string user, string target, Func<object, bool> expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await service.CheckAsync(new CheckAccess(user, [], target, "root", null, true, Guid.NewGuid().ToString()));
            if (expected(answer) || attempt == 50)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }
}
