using Gatehouse.Authorization.Targets.FindingTargetLogin;
using Gatehouse.Contracts.Authorization;
using MassTransit;

namespace Gatehouse.Authorization.Tests.Targets.FindingTargetLogin;

/// <summary>The three answers of <see cref="FindTargetLoginConsumer"/> (asked before a credential is vaulted), on the in-memory test harness and the real store.</summary>
public class When_a_target_login_is_looked_up_without_a_broker(AnEmptyAuthorizationStoreOnTheTestHarness service)
    : IClassFixture<AnEmptyAuthorizationStoreOnTheTestHarness>
{
    private readonly string _target = $"fl-db-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Should_find_a_login_the_target_declares_by_the_targets_normal_name()
    {
        await RegisterAsync();

        var answer = await AskAsync(_target.ToUpperInvariant(), "postgres");

        Assert.True(answer.Is(out Response<TargetLoginFound>? found), $"not found: {answer.Message}");
        Assert.Equal((_target, "postgres"), (found!.Message.Target, found.Message.Login));
    }

    [Fact]
    public async Task Should_not_find_a_login_the_target_does_not_declare_and_name_the_ones_it_does()
    {
        await RegisterAsync();

        var answer = await AskAsync(_target, "root");

        Assert.True(answer.Is(out Response<TargetLoginNotFound>? missing), $"found: {answer.Message}");
        Assert.Equal((_target, "root"), (missing!.Message.Target, missing.Message.Login));
        Assert.Contains("does not declare the login 'root'", missing.Message.Detail);
        Assert.Contains("postgres, deploy", missing.Message.Detail);
    }

    [Theory]
    [InlineData("fl-nowhere")]
    [InlineData("not a target name")]
    public async Task Should_not_find_a_target_that_is_not_registered_and_say_how_to_register_it(string target)
    {
        var answer = await AskAsync(target, "postgres");

        Assert.True(answer.Is(out Response<TargetLoginNotFound>? missing), $"found: {answer.Message}");
        Assert.Equal(target, missing!.Message.Target);
        Assert.Contains("gatehouse targets add", missing.Message.Detail);
        Assert.False(await service.Harness.Published.Any<Fault<FindTargetLogin>>());
    }

    private async Task RegisterAsync()
    {
        using var admin = service.Admin();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name = _target, address = "10.7.0.9", logins = new[] { "postgres", "deploy" } })).EnsureSuccessStatusCode();
    }

    private Task<Response<TargetLoginFound, TargetLoginNotFound>> AskAsync(string target, string login) =>
        service.Harness.GetRequestClient<FindTargetLogin>().GetResponse<TargetLoginFound, TargetLoginNotFound>(new FindTargetLogin(target, login));
}
