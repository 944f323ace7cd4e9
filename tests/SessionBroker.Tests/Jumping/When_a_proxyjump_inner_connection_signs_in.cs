using System.Reflection;
using Gatehouse.Contracts.Authentication;
using Gatehouse.SessionBroker.Connecting;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Tests.Gateway;
using Gatehouse.Ssh;
using MassTransit;

namespace Gatehouse.SessionBroker.Tests.Jumping;

/// <summary>The inner connection's sign-in is bound to the outer one: a key of the same Gatehouse user, no second one-time code.</summary>
public sealed class When_a_proxyjump_inner_connection_signs_in
{
    private const string Source = "192.0.2.9";

    private static readonly SignedInUser Outer = new(Guid.NewGuid(), new GatewayUserName("alice", "", null), "publickey,keyboard-interactive",
        "SHA256:outer", MfaVerified: true, ["user"], Source);

    [Fact]
    public async Task Should_take_the_user_name_as_the_login_and_ask_Authentication_about_the_outer_users_key()
    {
        string? askedFor = null;
        await using var bus = await GatewayBus.StartAsync(x => x.AddHandler<AuthenticatePublicKey>(ctx =>
        {
            askedFor = ctx.Message.UserName;
            return ctx.RespondAsync(new PublicKeyAccepted(ctx.Message.UserName, MfaRequired: true, ["user", "operator"], "SHA256:inner"));
        }));
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services, new JumpBinding(Outer, "web01"));

        var result = await login.AuthenticatePublicKeyAsync("deploy", Key(), CancellationToken.None);

        Assert.Equal(SshAuthOutcome.Success, result.Outcome);
        Assert.Equal("alice", askedFor);
        var user = login.SignedIn!;
        Assert.Equal(("alice", "web01", "deploy", true, "SHA256:inner", Source), (user.User, user.Target, user.Login, user.MfaVerified, user.KeyFingerprint, user.SourceAddress));
        Assert.Equal(["user", "operator"], user.ApiRoles);
    }

    [Fact]
    public async Task Should_refuse_a_key_Authentication_does_not_know_as_the_outer_users()
    {
        await using var bus = await GatewayBus.StartAsync(x => x.AddHandler<AuthenticatePublicKey>(ctx =>
            ctx.RespondAsync(new AuthenticationRefused(Gatehouse.Contracts.LoginFailureReason.UnknownKey, "this key is not one of yours"))));
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services, new JumpBinding(Outer, "web01"));

        var result = await login.AuthenticatePublicKeyAsync("deploy", Key(), CancellationToken.None);
        var shown = await login.KeyboardInteractiveAsync("deploy", null, CancellationToken.None);

        Assert.Equal(SshAuthOutcome.Failure, result.Outcome);
        Assert.Null(login.SignedIn);
        Assert.Equal("gatehouse: this key is not one of yours", shown.Instruction);
    }

    [Fact]
    public async Task Should_refuse_a_password_and_a_user_name_that_is_not_a_login()
    {
        await using var bus = await GatewayBus.StartAsync(_ => { });
        var login = new LoginConversation(Guid.NewGuid(), Source, bus.Services, new JumpBinding(Outer, "web01"));

        var password = await login.CheckPasswordAsync("deploy", "pw", CancellationToken.None);

        Assert.Equal(SshAuthOutcome.Failure, password.Outcome);
        Assert.Contains("takes only a key of alice", password.Message);
        Assert.Null(login.SignedIn);
    }

    private static SshPublicKey Key()
    {
        var blob = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        return (SshPublicKey)Activator.CreateInstance(typeof(SshPublicKey), BindingFlags.NonPublic | BindingFlags.Instance, null,
            ["ssh-ed25519", blob, null], null)!;
    }
}
