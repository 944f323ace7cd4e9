using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Totp = Gatehouse.Authentication.Credentials.Mfa.Totp;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Cli;

/// <summary>The gatehouse users, login and signing-keys commands, each run as its own process against the real service.</summary>
public sealed partial class When_an_operator_uses_the_gatehouse_cli(InstallationWithAdmin installation) : IClassFixture<InstallationWithAdmin>
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    private GatehouseCli Admin => installation.Admin;

    [Fact]
    public async Task Should_manage_a_user_their_roles_and_keys()
    {
        var name = $"bob-{_suffix}";
        var key = TestKeys.Ed25519();
        var keyFile = await WriteAsync($"{name}.pub", key.Line("bob@laptop"));

        Ok(await Admin.RunAsync("users", "create", name, "--role", "user", "--role", "approver"));
        var added = Ok(await Admin.RunAsync("users", "add-key", name, keyFile, "--expires", "2099-12-31T00:00:00Z"));
        Assert.Contains(key.Fingerprint, added.Out);
        var listed = Ok(await Admin.RunAsync("users", "list-keys", name));
        Assert.Equal($"{key.Fingerprint}  ssh-ed25519  expires 2099-12-31 00:00:00Z  bob@laptop", listed.Out.Trim());
        Assert.Equal(["approver", "user"], Assert.IsType<PublicKeyAccepted>(await KeyLoginAsync(name, key)).Roles);

        Ok(await Admin.RunAsync("users", "set-roles", name, "--role", "soc-analyst"));
        Assert.Equal(["soc-analyst"], Assert.IsType<PublicKeyAccepted>(await KeyLoginAsync(name, key)).Roles);

        Ok(await Admin.RunAsync("users", "disable", name));
        Assert.Equal(LoginFailureReason.AccountDisabled, Assert.IsType<AuthenticationRefused>(await KeyLoginAsync(name, key)).Reason);
        Ok(await Admin.RunAsync("users", "enable", name));
        Assert.IsType<PublicKeyAccepted>(await KeyLoginAsync(name, key));

        Ok(await Admin.RunAsync("users", "remove-key", name, key.Fingerprint));
        Assert.Equal("", Ok(await Admin.RunAsync("users", "list-keys", name)).Out.Trim());
        Assert.Equal(LoginFailureReason.UnknownKey, Assert.IsType<AuthenticationRefused>(await KeyLoginAsync(name, key)).Reason);

        Ok(await Admin.RunAsync("users", "delete", name));
        var gone = await Admin.RunAsync("users", "show", name);
        Assert.Equal(1, gone.Exit);
        Assert.Contains($"No user named '{name}'", gone.Error);
        var reused = await Admin.RunAsync("users", "create", name);
        Assert.Equal(1, reused.Exit);
        Assert.Contains("never reused", reused.Error);
    }

    [Fact]
    public async Task Should_set_a_password_enroll_an_authenticator_and_log_in_with_a_code_or_a_recovery_code()
    {
        const string password = "carol's long passphrase";
        var name = $"carol-{_suffix}";
        var tokenFile = Path.Combine(installation.Installation.StateDirectory, $"{name}-token");
        Ok(await Admin.RunAsync("users", "create", name));
        Ok(await Admin.RunWithInputAsync(password + "\n", "users", "set-password", name));
        Ok(await installation.Installation.Cli.RunWithInputAsync(password + "\n\n", "login", "--user", name, "--token-file", tokenFile));

        await using var enrolling = Admin.Start("users", "enroll-mfa", name);
        var shown = await enrolling.WaitForOutputAsync(output => RecoveryCode().Matches(output).Count == 10);
        var uri = Assert.Single(shown.Split('\n'), line => line.StartsWith("otpauth://", StringComparison.Ordinal)).Trim();
        var secret = Regex.Match(uri, "[?&]secret=([A-Z2-7]+)").Groups[1].Value;
        Assert.StartsWith($"otpauth://totp/Gatehouse:{name}?secret={secret}&issuer=Gatehouse", uri);
        Assert.Contains("Scan the QR code, or enter this secret by hand: " + secret, shown);
        Assert.Contains('█', shown);
        var recoveryCodes = RecoveryCode().Matches(shown).Select(m => m.Value).ToArray();
        var secretBytes = OtpNet.Base32Encoding.ToBytes(secret);
        var step = Totp.TimeStep(DateTimeOffset.UtcNow);
        await enrolling.WriteAsync(Totp.Code(secretBytes, step) + "\n");
        var confirmed = Ok(await enrolling.ExitAsync());
        Assert.Contains("Authenticator confirmed", confirmed.Out);

        var login = (string code) => installation.Installation.Cli.RunWithInputAsync($"{password}\n{code}\n", "login", "--user", name, "--token-file", tokenFile);
        var noCode = await login("");
        Assert.Equal(1, noCode.Exit);
        Assert.Contains("The verification code is not valid.", noCode.Error);
        // The confirming code's step is spent; the next step's code is within the allowed drift and still unused.
        Ok(await login(Totp.Code(secretBytes, step + 1)));
        Ok(await login(recoveryCodes[0]));
        Assert.Equal(1, (await login(recoveryCodes[0])).Exit);

        var shownUser = JsonDocument.Parse(Ok(await Admin.RunAsync("users", "show", name)).Out).RootElement;
        Assert.True(shownUser.GetProperty("mfaEnrolled").GetBoolean());
        Assert.Equal(9, shownUser.GetProperty("recoveryCodesLeft").GetInt32());
        Assert.DoesNotContain(secret, shownUser.ToString());

        Ok(await Admin.RunAsync("users", "remove-mfa", name));
        Ok(await login(""));
    }

    [Fact]
    public async Task Should_block_a_user_at_an_address_after_failed_logins_until_an_admin_unlocks_them()
    {
        const string password = "dave's long passphrase";
        var name = $"dave-{_suffix}";
        var tokenFile = Path.Combine(installation.Installation.StateDirectory, $"{name}-token");
        Ok(await Admin.RunAsync("users", "create", name));
        Ok(await Admin.RunWithInputAsync(password + "\n", "users", "set-password", name));
        var login = (string attempt) => installation.Installation.Cli.RunWithInputAsync($"{attempt}\n\n", "login", "--user", name, "--token-file", tokenFile);

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("wrong user name or password", (await login("a wrong guess " + i)).Error);
        }

        var locked = await login(password);
        Assert.Equal(1, locked.Exit);
        Assert.Contains("Too many failed attempts from your address", locked.Error);
        var blocked = JsonDocument.Parse(Ok(await Admin.RunAsync("users", "show", name)).Out).RootElement.GetProperty("blockedAt");
        Assert.Equal(("127.0.0.1", "password"), (blocked[0].GetProperty("address").GetString(), blocked[0].GetProperty("factor").GetString()));

        var unlocked = Ok(await Admin.RunAsync("users", "unlock", name));
        Assert.True(JsonDocument.Parse(unlocked.Out).RootElement.GetProperty("wasLocked").GetBoolean());
        Ok(await login(password));

        var typo = await Admin.RunAsync("users", "unlock", $"dvae-{_suffix}");
        Assert.Equal(1, typo.Exit);
        Assert.Equal($"Failed (404): No user named 'dvae-{_suffix}'; nothing was unlocked. Check the name with 'gatehouse users list'.",
            typo.Error.Trim());
    }

    [Fact]
    public async Task Should_let_the_host_operator_unlock_a_blocked_admin_with_the_break_glass_secret_once()
    {
        const string password = "erin's long passphrase";
        var name = $"erin-{_suffix}";
        var tokenFile = Path.Combine(installation.Installation.StateDirectory, $"{name}-token");
        var secretFile = Path.Combine(installation.Installation.StateDirectory, "break-glass-secret");
        Ok(await Admin.RunAsync("users", "create", name, "--role", "admin"));
        Ok(await Admin.RunWithInputAsync(password + "\n", "users", "set-password", name));
        var login = (string attempt) => installation.Installation.Cli.RunWithInputAsync($"{attempt}\n\n", "login", "--user", name, "--token-file", tokenFile);
        for (var i = 0; i < 3; i++)
        {
            await login("an incident-time guess " + i);
        }

        Assert.Contains("Too many failed attempts", (await login(password)).Error);
        var spent = await File.ReadAllTextAsync(secretFile);

        // No token: whoever can read the service's state directory is the operator on its host.
        var unlocked = Ok(await installation.Installation.Cli.RunAsync("break-glass", "unlock", name, "--secret-file", secretFile));
        Assert.True(JsonDocument.Parse(unlocked.Out).RootElement.GetProperty("wasLocked").GetBoolean());
        Ok(await login(password));

        var spentCopy = await WriteAsync("spent-break-glass-secret", spent);
        var again = await installation.Installation.Cli.RunAsync("break-glass", "unlock", name, "--secret-file", spentCopy);
        Assert.Equal(1, again.Exit);
        Assert.Contains("Failed (403): The secret is wrong or already used", again.Error);
        Assert.NotEqual(spent, await File.ReadAllTextAsync(secretFile));
    }

    [Fact]
    public async Task Should_rotate_the_token_signing_key_without_logging_anyone_out()
    {
        var before = Ok(await Admin.RunAsync("signing-keys", "list")).Out;
        var signing = Assert.Single(before.Split('\n'), line => line.Contains("  signing  ")).Split(' ')[0];

        var rotated = Ok(await Admin.RunAsync("signing-keys", "rotate"));
        Assert.Matches(@"^New signing key: \S+  next      signs from ", rotated.Out);
        var after = Ok(await Admin.RunAsync("signing-keys", "list")).Out;

        Assert.Contains($"{signing}  signing", after);
        Assert.Contains("  next  ", after);
        // The admin's token, signed by the old key, still works.
        Ok(await Admin.RunAsync("users", "list"));
    }

    [Fact]
    public async Task Should_explain_what_is_wrong_and_change_nothing()
    {
        var name = $"erin-{_suffix}";
        Ok(await Admin.RunAsync("users", "create", name));
        var badKey = await WriteAsync($"{name}-bad.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 truncated");

        var malformedKey = await Admin.RunAsync("users", "add-key", name, badKey);
        var badName = await Admin.RunAsync("users", "create", "Robert'); DROP TABLE users;--");
        var badRole = await Admin.RunAsync("users", "create", $"frank-{_suffix}", "--role", "root");
        var unknownUser = await Admin.RunAsync("users", "add-key", $"nobody-{_suffix}", await WriteAsync("nobody.pub", TestKeys.Ed25519().Line()));
        var anonymous = await installation.Installation.Cli.RunAsync("users", "list");

        Assert.Equal(1, malformedKey.Exit);
        Assert.Contains("publicKey: Public key blob is not a well-formed ssh-ed25519 key.", malformedKey.Error);
        Assert.Contains("userName: User name must start with a letter", badName.Error);
        Assert.Contains("roles: Unknown role 'root'", badRole.Error);
        Assert.Contains($"No user named 'nobody-{_suffix}'", unknownUser.Error);
        Assert.Equal(1, anonymous.Exit);
        Assert.Contains("Not authenticated: run 'gatehouse login'", anonymous.Error);
        Assert.Equal("", Ok(await Admin.RunAsync("users", "list-keys", name)).Out.Trim());
        Assert.DoesNotContain($"frank-{_suffix}", Ok(await Admin.RunAsync("users", "list")).Out);
    }

    private static CliResult Ok(CliResult result)
    {
        Assert.True(result.Exit == 0, result.ToString());
        return result;
    }

    private Task<object> KeyLoginAsync(string name, TestKey key) =>
        installation.Installation.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            new AuthenticatePublicKey(name, key.Algorithm, key.Base64, "192.0.2.50", Guid.NewGuid().ToString()));

    private async Task<string> WriteAsync(string fileName, string content)
    {
        var path = Path.Combine(installation.Installation.StateDirectory, fileName);
        await File.WriteAllTextAsync(path, content + "\n");
        return path;
    }

    [GeneratedRegex("\\b[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\\b")]
    private static partial Regex RecoveryCode();
}

