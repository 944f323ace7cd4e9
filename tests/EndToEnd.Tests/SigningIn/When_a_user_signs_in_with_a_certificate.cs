using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.SigningIn;

/// <summary>
/// The plain OpenSSH client signing in to the gateway with a user certificate (CertificateFile) from a CA the gateway
/// trusts (the stack's TrustedCaKeysFile), checked against a KRL that ssh-keygen -k wrote. The certificate's key is not
/// registered with Gatehouse, so only the certificate can let the user in.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_signs_in_with_a_certificate(GatehouseStack stack, AnAuditStoreOnTheBus audit)
    : IAsyncLifetime, IClassFixture<AnAuditStoreOnTheBus>
{
    private const ulong RevokedSerial = 66;
    private string _directory = null!;
    private string _ca = null!;

    private string Krl => Path.Combine(stack.Work, "revoked-user-keys.krl");

    public async Task InitializeAsync()
    {
        _directory = Path.Combine(stack.Work, $"user-ca-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _ca = await Processes.KeyPairAsync(_directory, "team-ca");
        await File.WriteAllTextAsync(Path.Combine(stack.Work, "trusted-user-cas"), "# the team's SSH CA\n" + await File.ReadAllTextAsync(_ca + ".pub"));
        var spec = Path.Combine(_directory, "revoked");
        await File.WriteAllTextAsync(spec, $"serial: {RevokedSerial}\n");
        File.Delete(Krl);
        await Processes.CheckAsync("ssh-keygen", "-k", "-f", Krl, "-s", _ca + ".pub", spec);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Should_let_the_user_in_and_record_the_certificates_serial_and_key_id()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("cert", "cert");
        var key = await CertificateAsync(user.Name, serial: 4242);

        var result = await SshAsync(user, target, key, "echo in");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("in\n", result.Text);
        var accepted = (UserCertificateAccepted)Assert.Single(await stack.BrokerEventsAsync(e => e is UserCertificateAccepted a && a.UserName == user.Name));
        Assert.Equal((4242UL, $"{user.Name}@laptop"), (accepted.Serial, accepted.KeyId));
        Assert.Equal([user.Name], accepted.Principals);
        Assert.Equal(await FingerprintAsync(_ca + ".pub"), accepted.CaFingerprint);
        var succeeded = (LoginSucceeded)Assert.Single(await stack.AuthenticationEventsAsync(e => e is LoginSucceeded l && l.UserName == user.Name));
        Assert.Equal((accepted.KeyFingerprint, accepted.CorrelationId), (succeeded.KeyFingerprint, succeeded.CorrelationId));
        Assert.Equal(await FingerprintAsync(key + ".pub"), succeeded.KeyFingerprint);
        Assert.Single(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
    }

    [Fact]
    public async Task Should_ask_for_the_one_time_code_after_a_certificate_as_after_a_key()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("certmfa", "cert", withMfa: true);
        var key = await CertificateAsync(user.Name, serial: 4343);

        var result = await SshAsync(user, target, key, "echo in", answer: user.Code(1));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        var succeeded = (LoginSucceeded)Assert.Single(await stack.AuthenticationEventsAsync(e => e is LoginSucceeded l && l.UserName == user.Name));
        Assert.Equal("certificate,keyboard-interactive", succeeded.Methods);
    }

    [Theory]
    [InlineData("expired", "expired at")]
    [InlineData("wrong-principal", "not '")]
    [InlineData("untrusted-ca", "which is not trusted here")]
    [InlineData("revoked", "is revoked: its serial 66 is revoked")]
    [InlineData("source-address", "may be used only from 10.99.0.0/16, not from 127.0.0.1")]
    [InlineData("force-command", "carries force-command \"/usr/bin/id\", which the gateway cannot honour")]
    [InlineData("unknown-option", "'verify-required', which is not honoured here")]
    public async Task Should_refuse_the_certificate_say_why_and_record_it(string flaw, string reason)
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("certbad", "cert");
        var key = flaw switch
        {
            "expired" => await CertificateAsync(user.Name, 5001, "-V", "-3h:-1h"),
            "wrong-principal" => await CertificateAsync("someone-else", 5002),
            "untrusted-ca" => await CertificateFromAsync(await Processes.KeyPairAsync(_directory, $"stranger-ca-{Guid.NewGuid():N}"), user.Name, 5003),
            "revoked" => await CertificateAsync(user.Name, RevokedSerial),
            "source-address" => await CertificateAsync(user.Name, 5004, "-O", "source-address=10.99.0.0/16"),
            "force-command" => await CertificateAsync(user.Name, 5005, "-O", "force-command=/usr/bin/id"),
            _ => await CertificateAsync(user.Name, 5006, "-O", "verify-required"),
        };

        var result = await SshAsync(user, target, key, "echo in");

        Assert.Equal(255, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("gatehouse: ", result.Error);
        Assert.Contains(reason, result.Error);
        var refused = (SessionRefused)Assert.Single(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name));
        Assert.Equal(SessionRefusalReason.CertificateRefused, refused.Reason);
        Assert.Contains(reason, refused.Detail);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is UserCertificateAccepted a && a.UserName == user.Name));
        Assert.Empty(await stack.AuthenticationEventsAsync(e => e is LoginSucceeded l && l.UserName == user.Name));
        // One attempt, one failed login: the plain key ssh offers after the certificate is not counted again.
        var failed = Assert.Single(await LoginFailuresAsync(user));
        Assert.Equal(("certificate", LoginFailureReason.CertificateRefused, refused.CorrelationId), (failed.Method, failed.Reason, failed.CorrelationId));
        Assert.Equal(await FingerprintAsync(key + ".pub"), failed.KeyFingerprint);
    }

    [Fact]
    public async Task Should_count_refused_certificates_as_failed_logins_so_brute_force_sees_a_prober()
    {
        // Five connections (brute force's threshold), each a certificate from a CA nobody trusts and then its plain key
        // (unknown): one failed login each, of method certificate, and they alone raise the alert.
        var (user, target, _) = await stack.AUserWithAGrantAsync("certprobe", "cert");
        var stranger = await Processes.KeyPairAsync(_directory, $"prober-ca-{Guid.NewGuid():N}");
        for (var serial = 7001UL; serial <= 7005; serial++)
        {
            Assert.Equal(255, (await SshAsync(user, target, await CertificateFromAsync(stranger, user.Name, serial), "echo in")).ExitCode);
        }

        var failures = await LoginFailuresAsync(user);
        Assert.Equal(5, failures.Count);
        Assert.All(failures, f => Assert.Equal("certificate", f.Method));
        var bruteForce = await audit.AlertAsync(DetectionRules.BruteForce, user.Name);
        Assert.Equal(failures.Select(f => f.EventId).Order(), bruteForce.TriggeringEventIds.Order());
    }

    [Theory]
    [InlineData("disabled", "gatehouse: This account is disabled.", LoginFailureReason.AccountDisabled)]
    [InlineData("unknown", "gatehouse: Permission denied: this key is not accepted.", LoginFailureReason.UnknownUser)]
    public async Task Should_still_refuse_an_account_that_is_disabled_or_unknown_whose_certificate_is_sound(string account, string message,
        LoginFailureReason reason)
    {
        var (known, target, _) = await stack.AUserWithAGrantAsync("certoff", "cert");
        var user = account == "unknown" ? known with { Name = $"nobody{Guid.NewGuid():N}"[..20] } : known;
        var key = await CertificateAsync(user.Name, serial: 4545);
        if (account == "disabled") await stack.DisableAsync(user);

        var result = await SshAsync(user, target, key, "echo in");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains(message, result.Error);
        // Recorded as what it was, a certificate login, once: the plain key ssh offers next is the same attempt.
        var failed = Assert.Single(await LoginFailuresAsync(user));
        Assert.Equal(("certificate", reason), (failed.Method, failed.Reason));
        Assert.Equal(await FingerprintAsync(key + ".pub"), failed.KeyFingerprint);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is UserCertificateAccepted a && a.UserName == user.Name));
    }

    [Fact]
    public async Task Should_refuse_every_certificate_while_the_revocation_list_cannot_be_read()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("certkrl", "cert");
        var key = await CertificateAsync(user.Name, serial: 4444);
        var sound = await File.ReadAllBytesAsync(Krl);
        await File.WriteAllBytesAsync(Krl, sound[..^4]);
        ProcessResult result;
        try
        {
            result = await SshAsync(user, target, key, "echo in");
        }
        finally
        {
            await File.WriteAllBytesAsync(Krl, sound);
        }

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("gatehouse: the gateway cannot read its certificate revocation list", result.Error);
        var refused = (SessionRefused)Assert.Single(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name));
        Assert.Equal(SessionRefusalReason.CertificateRefused, refused.Reason);
        Assert.Equal("certificate", Assert.Single(await LoginFailuresAsync(user)).Method);
        Assert.True((await SshAsync(user, target, key, "echo in")).ExitCode == 0, "with the list readable again the certificate is accepted");
    }

    [Fact]
    public async Task Should_refuse_a_certificate_at_the_next_login_once_a_new_revocation_list_revokes_its_serial()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("certkrlnew", "cert");
        var key = await CertificateAsync(user.Name, serial: 4646);
        Assert.True((await SshAsync(user, target, key, "echo in")).ExitCode == 0, "accepted while the list does not revoke it");

        // Replaced as an operator would: ssh-keygen -k writes a new list beside it, moved over the old one.
        var spec = Path.Combine(_directory, "revoked-more");
        await File.WriteAllTextAsync(spec, $"serial: {RevokedSerial}\nserial: 4646\n");
        var next = Krl + ".new";
        File.Delete(next);
        await Processes.CheckAsync("ssh-keygen", "-k", "-f", next, "-s", _ca + ".pub", spec);
        File.Move(next, Krl, overwrite: true);

        var result = await SshAsync(user, target, key, "echo in");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("is revoked: its serial 4646 is revoked", result.Error);
        var refused = (SessionRefused)Assert.Single(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name));
        Assert.Equal(SessionRefusalReason.CertificateRefused, refused.Reason);
    }

    /// <summary>Every failed login of the user: the gateway's (refused certificates) and Authentication's.</summary>
    private async Task<List<LoginFailed>> LoginFailuresAsync(GatehouseUser user) =>
        [.. (await stack.BrokerEventsAsync(e => e is LoginFailed f && f.UserName == user.Name)).Cast<LoginFailed>(),
            .. (await stack.AuthenticationEventsAsync(e => e is LoginFailed f && f.UserName == user.Name)).Cast<LoginFailed>()];

    /// <summary>A fresh key (not registered with Gatehouse) and its certificate from the team CA (or <paramref name="ca"/>).</summary>
    private Task<string> CertificateAsync(string principal, ulong serial, params string[] options) =>
        CertificateFromAsync(_ca, principal, serial, options);

    private async Task<string> CertificateFromAsync(string ca, string principal, ulong serial, params string[] options)
    {
        var key = await Processes.KeyPairAsync(_directory, $"user-{serial}-{Guid.NewGuid():N}");
        await Processes.CheckAsync("ssh-keygen", ["-q", "-s", ca, "-I", $"{principal}@laptop", "-z", serial.ToString(), "-n", principal,
            .. options, key + ".pub"]);
        return key;
    }

    /// <summary>ssh with the key and its certificate; a keyboard-interactive round is answered with <paramref name="answer"/>.</summary>
    private async Task<ProcessResult> SshAsync(GatehouseUser user, string target, string key, string command, string answer = "") =>
        await OpenSsh.SshAsync(stack, user with { KeyPath = key }, target, command, batchMode: false, logLevel: "INFO",
            environment: await OpenSsh.AnswerPromptsWithAsync(stack.Work, answer),
            extraOptions: ["-o", $"CertificateFile={key}-cert.pub", "-o", "NumberOfPasswordPrompts=1",
                "-o", "PreferredAuthentications=publickey,keyboard-interactive"]);

    private static async Task<string> FingerprintAsync(string publicKeyFile) =>
        Gatehouse.Vocabulary.OpenSshPublicKey.ParseLine(await File.ReadAllTextAsync(publicKeyFile)).Key!.Fingerprint;
}
