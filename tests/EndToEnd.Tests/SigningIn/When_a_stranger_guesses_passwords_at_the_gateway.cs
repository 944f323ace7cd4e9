using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.SigningIn;

/// <summary>
/// Issue #21: password guesses typed at the gateway's prompt by the real ssh client are LoginFailed events like any
/// other, so the Audit service's brute-force and spraying rules see them.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_stranger_guesses_passwords_at_the_gateway(GatehouseStack stack, AnAuditStoreOnTheBus audit) : IClassFixture<AnAuditStoreOnTheBus>
{
    [Fact]
    public async Task Should_raise_brute_force_for_one_user_guessed_at_and_spraying_for_many_names_from_one_address()
    {
        var target = await stack.RegisterTargetAsync("guess");
        var victim = await stack.CreateUserAsync("guessed");
        await stack.SetPasswordAsync(victim, "the victim's own password");
        await stack.GrantAsync(victim, target);

        // Brute force: three wrong passwords a connection, from two addresses of the stranger's (the gateway slows one
        // user at one address after five), six guesses for one user.
        foreach (var source in new[] { OpenSsh.FreshLoopbackSource(), OpenSsh.FreshLoopbackSource() })
        {
            var guessed = await OpenSsh.SshWithPasswordAsync(stack, victim, target, "true", "password123", source);
            Assert.Equal(255, guessed.ExitCode);
        }

        // Spraying: one common password for five names from one address, as a spray does (names that may not exist).
        var sprayer = OpenSsh.FreshLoopbackSource();
        var names = Enumerable.Range(0, 5).Select(i => victim with { Name = $"spray{i}{Guid.NewGuid():N}"[..16] }).ToList();
        foreach (var name in names)
        {
            Assert.Equal(255, (await OpenSsh.SshWithPasswordAsync(stack, name, target, "true", "winter2026", sprayer, passwordPrompts: 1)).ExitCode);
        }

        var failures = (await stack.AuthenticationEventsAsync(e => e is LoginFailed f && f.UserName == victim.Name)).Cast<LoginFailed>().ToList();
        Assert.True(failures.Count >= 5, $"{failures.Count} failed logins recorded for {victim.Name}");
        Assert.All(failures, f => Assert.Equal("password", f.Method));
        var bruteForce = await audit.AlertAsync(DetectionRules.BruteForce, victim.Name);
        Assert.Contains("failed logins for " + victim.Name, bruteForce.Title);
        var spraying = await audit.AlertFromSourceAsync(DetectionRules.PasswordSpraying, sprayer);
        Assert.Equal($"Failed logins for 5 different users from {sprayer}", spraying.Title);
    }
}
