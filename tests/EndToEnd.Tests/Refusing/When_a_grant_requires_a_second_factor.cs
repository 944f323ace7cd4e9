using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Refusing;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_grant_requires_a_second_factor(GatehouseStack stack)
{
    [Fact]
    public async Task Should_ask_for_the_one_time_code_and_let_the_right_one_in()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("totp", "vault", withMfa: true, mfaRequired: true);

        var askpass = await OpenSsh.AnswerPromptsWithAsync(stack.Work, user.Code(stepsAhead: 1));
        var result = await OpenSsh.SshAsync(stack, user, target, "echo second factor ok", environment: askpass, batchMode: false);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("second factor ok\n", result.Text);
        Assert.Single(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_code_and_say_so()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("badcode", "vault", withMfa: true, mfaRequired: true);
        var wrong = user.Code() == "000000" ? "111111" : "000000";

        var askpass = await OpenSsh.AnswerPromptsWithAsync(stack.Work, wrong);
        var result = await OpenSsh.SshAsync(stack, user, target, "echo should not run", environment: askpass, batchMode: false,
            extraOptions: ["-o", "NumberOfPasswordPrompts=1"], logLevel: "INFO");

        Assert.Equal(255, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("gatehouse:", result.Error);
        Assert.Contains("Permission denied", result.Error);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
    }

    [Fact]
    public async Task Should_refuse_a_user_who_signed_in_with_the_key_alone()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("keyonly", "vault", mfaRequired: true);

        var result = await OpenSsh.SshAsync(stack, user, target, "true");

        Assert.Equal(1, result.ExitCode);
        // The grant covers the target, so the user is told what stands in the way (the SOC reads MfaRequired in the event).
        Assert.Contains($"access to {target} as {SshTarget.Login} is refused: grant ", result.Error);
        Assert.Contains("requires a second factor and this login did not complete one", result.Error);
    }
}
