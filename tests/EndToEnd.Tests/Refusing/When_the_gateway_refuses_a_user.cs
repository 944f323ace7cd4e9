using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Refusing;

[Collection(GatehouseCollection.Name)]
public sealed class When_the_gateway_refuses_a_user(GatehouseStack stack)
{
    [Fact]
    public async Task Should_tell_a_user_without_a_grant_the_same_whatever_exists_while_the_record_says_which()
    {
        var user = await stack.CreateUserAsync("nogrant");
        var target = await stack.RegisterTargetAsync("db");
        var unknown = $"nowhere-{Guid.NewGuid():N}"[..20];
        var marker = Path.Combine(stack.Target.Directory, $"denied-{Guid.NewGuid():N}");

        var existing = await OpenSsh.SshAsync(stack, user, target, $"touch {marker}");
        var missingTarget = await OpenSsh.SshAsync(stack, user, unknown, $"touch {marker}");
        var missingLogin = await OpenSsh.SshAsync(stack, user, target, $"touch {marker}", login: "nobody");

        Assert.Equal([1, 1, 1], new[] { existing.ExitCode, missingTarget.ExitCode, missingLogin.ExitCode });
        Assert.Equal($"gatehouse: access to {target} as {SshTarget.Login} is refused: no grant of yours covers it", Line(existing));
        Assert.Equal($"gatehouse: access to {unknown} as {SshTarget.Login} is refused: no grant of yours covers it", Line(missingTarget));
        Assert.Equal($"gatehouse: access to {target} as nobody is refused: no grant of yours covers it", Line(missingLogin));
        Assert.False(File.Exists(marker));
        var refused = (await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name)).Cast<SessionRefused>().ToList();
        Assert.All(refused, r => Assert.Equal(SessionRefusalReason.AccessRefused, r.Reason));
        Assert.Equal(["(NoMatchingGrant)", "(UnknownLogin)", "(UnknownTarget)"],
            refused.Select(r => r.Detail[r.Detail.IndexOf('(')..(r.Detail.IndexOf(')') + 1)]).Order());
        Assert.Empty(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
    }

    private static string Line(ProcessResult result) => Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task Should_explain_the_user_name_syntax_to_someone_who_got_it_wrong()
    {
        var user = await stack.CreateUserAsync("syntax");

        var result = await Processes.RunAsync("ssh",
            [.. OpenSsh.Options(stack, user, batchMode: false, logLevel: "INFO"), "-o", "PreferredAuthentications=publickey,keyboard-interactive", $"{user.Name}:@127.0.0.1", "true"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains($"gatehouse: The SSH user name must look like {Gatehouse.SessionBroker.Connecting.GatewayUserName.Syntax}", result.Error);
    }

    [Fact]
    public async Task Should_tell_someone_who_named_no_target_how_to_name_one()
    {
        var user = await stack.CreateUserAsync("notarget");

        // The plain user name signs in, for ProxyJump only: a command on it is refused with the forms that reach a target.
        var result = await Processes.RunAsync("ssh", [.. OpenSsh.Options(stack, user, logLevel: "INFO"), $"{user.Name}@127.0.0.1", "true"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"only carries ProxyJump (ssh -J {user.Name}@gateway <login>@<target>); for a shell, sign in as {user.Name}:<login>@<target>", result.Error);
    }

    [Fact]
    public async Task Should_refuse_a_target_whose_host_key_is_not_the_pinned_one()
    {
        var user = await stack.CreateUserAsync("mitm");
        var impostorKey = await Processes.KeyPairAsync(stack.Work, $"impostor-{Guid.NewGuid():N}");
        var pinned = string.Join(' ', (await File.ReadAllTextAsync(impostorKey + ".pub")).Split(' ').Take(2));
        var target = await stack.RegisterTargetAsync("moved", hostKey: pinned);
        await stack.GrantAsync(user, target);
        var marker = Path.Combine(stack.Target.Directory, $"mitm-{Guid.NewGuid():N}");

        var result = await OpenSsh.SshAsync(stack, user, target, $"touch {marker}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the host key of {target}", result.Error);
        Assert.Contains("is not the pinned one", result.Error);
        Assert.False(File.Exists(marker));
        var mismatch = (TargetHostKeyMismatched)(await stack.BrokerEventsAsync(e => e is TargetHostKeyMismatched m && m.Target == target)).Single();
        Assert.Equal(user.Name, mismatch.Actor);
        Assert.NotEqual(mismatch.PinnedFingerprint, mismatch.OfferedFingerprint);
        var refused = (SessionRefused)(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name)).Single();
        Assert.Equal(SessionRefusalReason.HostKeyMismatch, refused.Reason);
    }

    [Fact]
    public async Task Should_pin_the_first_host_key_of_a_new_target_and_hold_it_to_that_key_after()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("tofu", "fresh", pinHostKey: false);

        var first = await OpenSsh.SshAsync(stack, user, target, "echo first");
        var second = await OpenSsh.SshAsync(stack, user, target, "echo second");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal("second\n", second.Text);
        var shown = await stack.AuthorizationAdmin.GetStringAsync($"api/targets/{target}");
        Assert.Contains(stack.Target.HostKeyLine.Split(' ')[1], shown);
    }

    [Fact]
    public async Task Should_refuse_a_target_login_the_vault_has_no_credential_for()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("nocred", "bare", storeCredential: false);

        var result = await OpenSsh.SshAsync(stack, user, target, "true");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the vault holds no credential for {SshTarget.Login}@{target}", result.Error);
    }
}
