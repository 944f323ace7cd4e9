using Gatehouse.Authorization.Targets.PinningHostKey;
using Gatehouse.Contracts.Authorization;
using MassTransit;

namespace Gatehouse.Authorization.Tests.Targets.PinningHostKey;

/// <summary>
/// The refusals of <see cref="PinTargetHostKeyConsumer"/>, on the in-memory test harness and the real store; trust on
/// first use itself is proven over RabbitMQ (<see cref="When_the_gateway_meets_a_host_key"/>).
/// </summary>
public class When_a_host_key_is_reported_without_a_broker(AnEmptyAuthorizationStoreOnTheTestHarness service)
    : IClassFixture<AnEmptyAuthorizationStoreOnTheTestHarness>
{
    private const string Ed25519Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGeS81mv4dwdAqRANJHfFKS5Z76KGTNmTLMslNd8STY/";

    [Theory]
    [InlineData("")]
    [InlineData("ssh-ed25519 not-base64")]
    [InlineData("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGeS81mv4dwdAqRANJHfFKS5Z76KGTNmTLMslNd8STY/")]
    public async Task Should_reject_a_key_that_is_not_a_valid_openssh_public_key_and_pin_nothing(string key)
    {
        var target = await RegisterAsync();

        var answer = await PinAsync(target, key);

        Assert.True(answer.Is(out Response<TargetHostKeyRejected>? rejected), $"accepted: {answer.Message}");
        Assert.Contains("not a valid OpenSSH public key", rejected!.Message.Detail);
        Assert.True((await PinAsync(target, Ed25519Key)).Is(out Response<TargetHostKeyAccepted>? later));
        Assert.True(later!.Message.PinnedNow);
    }

    [Fact]
    public async Task Should_reject_a_key_for_a_target_that_is_not_registered()
    {
        var answer = await PinAsync($"hk-nowhere-{Guid.NewGuid():N}"[..20], Ed25519Key);

        Assert.True(answer.Is(out Response<TargetHostKeyRejected>? rejected), $"accepted: {answer.Message}");
        Assert.Contains("there is no target named", rejected!.Message.Detail);
        Assert.False(await service.Harness.Published.Any<Fault<PinTargetHostKey>>());
    }

    private async Task<string> RegisterAsync()
    {
        var name = $"hk-{Guid.NewGuid():N}"[..20];
        using var admin = service.Admin();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new { name, address = "10.4.4.5", logins = new[] { "root" } })).EnsureSuccessStatusCode();
        return name;
    }

    private Task<Response<TargetHostKeyAccepted, TargetHostKeyRejected>> PinAsync(string target, string key) =>
        service.Harness.GetRequestClient<PinTargetHostKey>().GetResponse<TargetHostKeyAccepted, TargetHostKeyRejected>(
            new PinTargetHostKey(target, key, "alice", "10.0.0.1", Guid.NewGuid().ToString()));
}
