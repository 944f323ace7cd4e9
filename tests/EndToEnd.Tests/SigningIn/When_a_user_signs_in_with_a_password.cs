using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.SigningIn;

/// <summary>The real ssh client typing a Gatehouse password (no key) at the gateway; every attempt must be on record.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_signs_in_with_a_password(GatehouseStack stack, AnAuditStoreOnTheBus audit) : IClassFixture<AnAuditStoreOnTheBus>
{
    private const string Password = "a gateway password";
    private const string WrongPassword = "not the password";
    private const string Refused = "gatehouse: Permission denied: wrong user name or password.";

    [Fact]
    public async Task Should_reach_the_target_with_the_right_password_and_record_the_login()
    {
        var (user, target) = await ArrangeAsync("pwok");

        var result = await OpenSsh.SshWithPasswordAsync(stack, user, target, "echo reached by password", Password, OpenSsh.FreshLoopbackSource());

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("reached by password\n", result.Text);
        var login = (LoginSucceeded)Assert.Single(await stack.AuthenticationEventsAsync(e => e is LoginSucceeded l && l.UserName == user.Name));
        Assert.Equal("password", login.Methods);
        await AuditHoldsAsync(login);
    }

    [Fact]
    public async Task Should_ask_for_the_one_time_code_after_the_password_when_the_user_has_an_authenticator()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("pwmfa", "pwmfa", withMfa: true, mfaRequired: true);
        await stack.SetPasswordAsync(user, Password);

        var result = await OpenSsh.SshWithPasswordAsync(stack, user, target, "echo both factors", Password, OpenSsh.FreshLoopbackSource(),
            code: user.Code(stepsAhead: 1));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("both factors\n", result.Text);
        var login = (LoginSucceeded)Assert.Single(await stack.AuthenticationEventsAsync(e => e is LoginSucceeded l && l.UserName == user.Name));
        Assert.Equal("password,keyboard-interactive", login.Methods);
    }

    [Fact]
    public async Task Should_refuse_a_wrong_password_say_so_and_record_every_attempt()
    {
        var (user, target) = await ArrangeAsync("pwbad");
        var marker = Path.Combine(stack.Target.Directory, $"pw-refused-{Guid.NewGuid():N}");

        var result = await OpenSsh.SshWithPasswordAsync(stack, user, target, $"touch {marker}", WrongPassword, OpenSsh.FreshLoopbackSource());

        Assert.Equal(255, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains(Refused, result.Error);
        Assert.False(File.Exists(marker));
        var failures = (await stack.AuthenticationEventsAsync(e => e is LoginFailed f && f.UserName == user.Name)).Cast<LoginFailed>().ToList();
        Assert.Equal(3, failures.Count); // ssh asks three times
        Assert.All(failures, f => Assert.Equal(("password", LoginFailureReason.WrongPassword), (f.Method, f.Reason)));
        Assert.Empty(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
        await AuditHoldsAsync([.. failures]);
    }

    [Fact]
    public async Task Should_record_an_attempt_under_a_user_name_the_gateway_cannot_read()
    {
        var (user, _) = await ArrangeAsync("pwname");

        // No target after the login: the gateway refuses before any credential is checked, and says so on the record.
        var result = await OpenSsh.SshWithPasswordAsync(stack, user, "", "true", Password, OpenSsh.FreshLoopbackSource());

        Assert.Equal(255, result.ExitCode);
        var refusals = (await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName.StartsWith(user.Name + ":", StringComparison.Ordinal)))
            .Cast<SessionRefused>().ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.Equal(SessionRefusalReason.UnreadableUserName, r.Reason));
        Assert.Empty(await stack.AuthenticationEventsAsync(e => e is LoginSucceeded l && l.UserName == user.Name));
        await AuditHoldsAsync([.. refusals]);
    }

    [Fact]
    public async Task Should_record_attempts_for_an_unknown_user_a_disabled_user_and_an_account_without_a_password()
    {
        var (disabled, target) = await ArrangeAsync("pwoff");
        await stack.DisableAsync(disabled);
        var keysOnly = await stack.CreateUserAsync("pwnone");
        await stack.GrantAsync(keysOnly, target);
        var unknown = keysOnly with { Name = "nobody" + Guid.NewGuid().ToString("N")[..8] };

        var cases = new (GatehouseUser User, string Shown, LoginFailureReason Recorded)[]
        {
            (disabled, "gatehouse: This account is disabled.", LoginFailureReason.AccountDisabled),
            (keysOnly, Refused, LoginFailureReason.PasswordNotSet),
            (unknown, Refused, LoginFailureReason.UnknownUser),
        };
        var recorded = new List<IAccessEvent>();
        foreach (var (user, shown, reason) in cases)
        {
            var result = await OpenSsh.SshWithPasswordAsync(stack, user, target, "true", Password, OpenSsh.FreshLoopbackSource(), passwordPrompts: 1);

            Assert.Equal(255, result.ExitCode);
            Assert.Contains(shown, result.Error);
            var failed = (LoginFailed)Assert.Single(await stack.AuthenticationEventsAsync(e => e is LoginFailed f && f.UserName == user.Name));
            Assert.Equal((user.Name, reason), (user.Name, failed.Reason));
            recorded.Add(failed);
        }

        await AuditHoldsAsync([.. recorded]);
    }

    [Fact]
    public async Task Should_block_the_user_at_that_address_after_repeated_wrong_passwords_and_not_elsewhere()
    {
        var (user, target) = await ArrangeAsync("pwlock");
        var source = OpenSsh.FreshLoopbackSource();

        // Five failures block a user at one address (Lockout:MaxFailuresPerUserAndSource): three from the first connection, two more from the second.
        await OpenSsh.SshWithPasswordAsync(stack, user, target, "true", WrongPassword, source);
        await OpenSsh.SshWithPasswordAsync(stack, user, target, "true", WrongPassword, source, passwordPrompts: 2);
        var right = await OpenSsh.SshWithPasswordAsync(stack, user, target, "echo should not run", Password, source, passwordPrompts: 1);
        var elsewhere = await OpenSsh.SshWithPasswordAsync(stack, user, target, "echo from elsewhere", Password, OpenSsh.FreshLoopbackSource(), passwordPrompts: 1);

        Assert.Equal(255, right.ExitCode);
        Assert.Empty(right.Output);
        Assert.Contains("gatehouse: Too many failed attempts from your address: try again later.", right.Error);
        Assert.True(elsewhere.ExitCode == 0, $"exit {elsewhere.ExitCode}: {elsewhere.Error}");
        var throttled = (LoginThrottled)Assert.Single(await stack.AuthenticationEventsAsync(e => e is LoginThrottled t && t.UserName == user.Name));
        Assert.Equal((source, "password", 5), (throttled.Address, throttled.Factor, throttled.RecentFailures));
        Assert.Contains(await stack.AuthenticationEventsAsync(e => e is LoginFailed f && f.UserName == user.Name),
            e => ((LoginFailed)e).Reason == LoginFailureReason.TooManyAttempts);
    }

    [Fact]
    public async Task Should_refuse_with_a_clear_reason_when_the_gateway_cannot_reach_Authentication()
    {
        var (user, target) = await ArrangeAsync("pwdown");
        // A second gateway whose only way to the broker is a relay the test cuts: for it, Authentication is unreachable.
        await using var relay = TcpRelay.Start(5672);
        await using var cutOff = stack.StartAnotherBroker(new Dictionary<string, string?> { ["Gatehouse:Bus:Port"] = relay.Port.ToString() });
        var port = cutOff.Services.GetRequiredService<Gatehouse.SessionBroker.Gateway.GatewayListener>().EndPoint.Port;
        var marker = Path.Combine(stack.Target.Directory, $"pw-unreachable-{Guid.NewGuid():N}");
        await OnTheBusAsync(cutOff);

        relay.Cut();
        ProcessResult result;
        try
        {
            result = await OpenSsh.SshWithPasswordAsync(stack, user, target, $"touch {marker}", Password, OpenSsh.FreshLoopbackSource(),
                passwordPrompts: 1, port: port);
        }
        finally
        {
            relay.Restore();
        }

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("gatehouse: the Authentication service", result.Error);
        Assert.Contains("so the login is refused; try again shortly", result.Error);
        Assert.False(File.Exists(marker));
        Assert.Empty(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
        // Stopped while it still reconnected, the instance's bus would go on trying for the rest of the run.
        await OnTheBusAsync(cutOff);
    }

    private static async Task OnTheBusAsync(BrokerFactory instance)
    {
        var bus = instance.Services.GetRequiredService<IBusControl>();
        var clock = Stopwatch.StartNew();
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the gateway instance is not on the bus: {bus.CheckHealth().Description}");
            await Task.Delay(100);
        }
    }

    private async Task<(GatehouseUser, string)> ArrangeAsync(string prefix)
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync(prefix, prefix);
        await stack.SetPasswordAsync(user, Password);
        return (user, target);
    }

    /// <summary>The events reach the Audit service's store through the bus, as every login event does.</summary>
    private async Task AuditHoldsAsync(params IAccessEvent[] events)
    {
        var expected = events.Select(e => e.EventId).ToList();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Guid> stored = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && stored.Count < expected.Count)
        {
            await Task.Delay(250);
            stored = await audit.StoredAsync(expected);
        }

        Assert.Equal(expected.Order(), stored.Order());
    }
}
