using Gatehouse.Authorization.Decisions.CheckingAccess;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using MassTransit;

namespace Gatehouse.Authorization.Tests.Decisions.CheckingAccess;

/// <summary>Both answers of <see cref="CheckAccessConsumer"/>, on the in-memory test harness and the real store.</summary>
public class When_a_check_is_answered_without_a_broker(AnEmptyAuthorizationStoreOnTheTestHarness service)
    : IClassFixture<AnEmptyAuthorizationStoreOnTheTestHarness>
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Should_allow_with_the_target_to_reach_and_the_grant_that_allows_it()
    {
        using var admin = service.Admin();
        var target = $"hv-web-{_suffix}";
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name = target, address = "10.7.0.5", port = 2022, logins = new[] { "deploy" } })).EnsureSuccessStatusCode();
        var grant = await AnEmptyAuthorizationStore.Read<Authorization.Grants.Grant>(await AnEmptyAuthorizationStore.Post(admin, "/api/grants", new
        {
            subjectKind = GrantSubjectKind.ApiRole, subject = "user", targetNames = new[] { target }, logins = new[] { "deploy" },
            maxSessionLength = TimeSpan.FromHours(1),
        }));

        var answer = await service.Harness.GetRequestClient<CheckAccess>()
            .GetResponse<AccessAllowed, AccessRefused>(new CheckAccess("hv-anyone", ["user"], target, "deploy", "10.1.2.3", false, $"hv-{_suffix}"));

        Assert.True(answer.Is(out Response<AccessAllowed>? allowed), $"refused: {answer.Message}");
        Assert.Equal(("hv-anyone", target, "10.7.0.5", 2022, "deploy"),
            (allowed!.Message.UserName, allowed.Message.Target, allowed.Message.TargetAddress, allowed.Message.TargetPort, allowed.Message.Login));
        Assert.Equal(grant.Id, allowed.Message.GrantId);
        Assert.Equal(TimeSpan.FromHours(1), allowed.Message.MaxSessionLength);
        Assert.True(await service.Harness.Consumed.Any<CheckAccess>(m => m.Context.Message.CorrelationId == $"hv-{_suffix}"));
    }

    [Fact]
    public async Task Should_refuse_with_the_reason_and_echo_what_was_asked()
    {
        var answer = await service.Harness.GetRequestClient<CheckAccess>()
            .GetResponse<AccessAllowed, AccessRefused>(new CheckAccess("hv-anyone", ["user"], $"hv-nowhere-{_suffix}", "root", "10.1.2.3", false, $"hv-{_suffix}"));

        Assert.True(answer.Is(out Response<AccessRefused>? refused), $"allowed: {answer.Message}");
        Assert.Equal(AccessDenialReason.UnknownTarget, refused!.Message.Reason);
        Assert.Equal(("hv-anyone", $"hv-nowhere-{_suffix}", "root"), (refused.Message.UserName, refused.Message.Target, refused.Message.Login));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message.Detail));
        Assert.False(await service.Harness.Published.Any<Fault<CheckAccess>>());
    }
}
