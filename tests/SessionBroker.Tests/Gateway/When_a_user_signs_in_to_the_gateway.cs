using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.Ssh;
using MassTransit;

namespace Gatehouse.SessionBroker.Tests.Gateway;

public sealed class When_a_user_signs_in_to_the_gateway
{
    private const string Source = "192.0.2.7";

    [Fact]
    public async Task Should_let_a_user_in_with_a_password_and_fix_who_they_are()
    {
        await using var bus = await GatewayBus.StartAsync(x => x.AddHandler<AuthenticatePassword>(ctx =>
            ctx.RespondAsync(new PasswordAccepted(ctx.Message.UserName, false, ["operator"]))));
        var connection = Guid.NewGuid();
        var login = new LoginConversation(connection, Source, bus.Services);

        var result = await login.CheckPasswordAsync("alice:deploy@web01", "pw", CancellationToken.None);

        Assert.Equal(SshAuthOutcome.Success, result.Outcome);
        var user = login.SignedIn!;
        Assert.Equal(("alice", "deploy", "web01", SshAuthMethods.Password, (string?)null, false, Source, connection.ToString("D")),
            (user.User, user.Login, user.Target, user.Method, user.KeyFingerprint, user.MfaVerified, user.SourceAddress, user.CorrelationId));
        Assert.Equal(["operator"], user.ApiRoles);
    }

    [Fact]
    public async Task Should_ask_for_the_one_time_code_before_letting_the_user_in()
    {
        string? codeAsked = null;
        await using var bus = await GatewayBus.StartAsync(x =>
        {
            x.AddHandler<AuthenticatePassword>(ctx => ctx.RespondAsync(new PasswordAccepted(ctx.Message.UserName, true, [])));
            x.AddHandler<VerifyMfa>(ctx =>
            {
                codeAsked = ctx.Message.Code;
                return ctx.RespondAsync(new MfaVerified(ctx.Message.UserName, ["auditor"]));
            });
        });
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services);

        var first = await login.CheckPasswordAsync("alice:web01", "pw", CancellationToken.None);
        Assert.Equal(SshAuthOutcome.PartialSuccess, first.Outcome);
        Assert.Equal([SshAuthMethods.KeyboardInteractive], first.RemainingMethods!);
        Assert.Null(login.SignedIn);

        var prompt = await login.KeyboardInteractiveAsync("alice:web01", null, CancellationToken.None);
        Assert.Equal("One-time code: ", Assert.Single(prompt.Prompts).Text);
        var answered = await login.KeyboardInteractiveAsync("alice:web01", [" 123456 "], CancellationToken.None);

        Assert.Equal(SshAuthOutcome.Success, answered.Result!.Outcome);
        Assert.Equal("123456", codeAsked);
        Assert.Equal((true, "alice", "alice"), (login.SignedIn!.MfaVerified, login.SignedIn.User, login.SignedIn.Login));
        Assert.Equal(["auditor"], login.SignedIn.ApiRoles);
    }

    [Fact]
    public async Task Should_show_why_a_password_was_refused_at_once()
    {
        await using var bus = await GatewayBus.StartAsync(x => x.AddHandler<AuthenticatePassword>(ctx =>
            ctx.RespondAsync(new AuthenticationRefused(LoginFailureReason.WrongPassword, "the password is wrong"))));
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services);

        var result = await login.CheckPasswordAsync("alice:web01", "nope", CancellationToken.None);

        Assert.Equal((SshAuthOutcome.Failure, "gatehouse: the password is wrong"), (result.Outcome, result.Message));
        Assert.Null(login.SignedIn);
    }

    [Fact]
    public async Task Should_refuse_when_Authentication_does_not_answer_in_time()
    {
        await using var bus = await GatewayBus.StartAsync(_ => { }, TimeSpan.FromMilliseconds(300));
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services);

        var result = await login.CheckPasswordAsync("alice:web01", "pw", CancellationToken.None);

        Assert.Equal(SshAuthOutcome.Failure, result.Outcome);
        Assert.Contains("did not answer in time", result.Message);
        Assert.Null(login.SignedIn);
    }

    [Fact]
    public async Task Should_refuse_a_wrong_code_and_show_why_in_the_next_round()
    {
        await using var bus = await GatewayBus.StartAsync(x =>
        {
            x.AddHandler<AuthenticatePassword>(ctx => ctx.RespondAsync(new PasswordAccepted(ctx.Message.UserName, true, [])));
            x.AddHandler<VerifyMfa>(ctx => ctx.RespondAsync(new AuthenticationRefused(LoginFailureReason.WrongMfaCode, "the code is wrong")));
        });
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services);
        await login.CheckPasswordAsync("alice:web01", "pw", CancellationToken.None);
        await login.KeyboardInteractiveAsync("alice:web01", null, CancellationToken.None);

        var answered = await login.KeyboardInteractiveAsync("alice:web01", ["000000"], CancellationToken.None);

        Assert.Equal("gatehouse: the code is wrong", answered.Instruction);
        Assert.Equal(SshAuthOutcome.Failure, (await login.KeyboardInteractiveAsync("alice:web01", [], CancellationToken.None)).Result!.Outcome);
        Assert.Null(login.SignedIn);
    }
}
