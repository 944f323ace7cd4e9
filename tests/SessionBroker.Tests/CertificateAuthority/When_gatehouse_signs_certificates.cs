using System.Diagnostics;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.Ssh.Certificates;
using Gatehouse.TestSupport;
using Gatehouse.Vocabulary;
using Npgsql;

namespace Gatehouse.SessionBroker.Tests.CertificateAuthority;

/// <summary>Each test has a store of its own: the CAs are per schema, and a rotation would change what the others see.</summary>
public sealed class When_gatehouse_signs_certificates : IAsyncLifetime
{
    private readonly CaStore store = new();

    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    private static readonly DateTimeOffset Now = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly Gatehouse.ServiceDefaults.Http.ApiCaller Ops = new("ops", "127.0.0.1", "ca-test", Now);
    private static readonly OpenSshPublicKey HostKey = SshCertificateAuthority.Generate("ssh-ed25519").PublicKey;

    [Fact]
    public async Task Should_sign_a_host_certificate_that_ssh_keygen_reads_and_that_verifies_against_the_host_CA_it_shows()
    {
        var ca = store.Ca(CaStore.Cipher(), new ManualClock(Now));

        var certificate = await ca.SignHostCertificateAsync(HostKey, ["web1.example.net", "web1"], Now.AddMinutes(-5), Now.AddDays(7),
            "gatehouse host web1", default);

        var trusted = (await ca.RingAsync(CaKind.Host, default)).Trusted.Select(k => k.Parsed()).ToList();
        Assert.Null(SshCertificateValidation.Check(certificate, SshCertificateType.Host, trusted, "web1.example.net", Now, new HashSet<string>()));
        var user = (await ca.RingAsync(CaKind.User, default)).Trusted.Select(k => k.Parsed()).ToList();
        Assert.Equal(SshCertificateProblem.UnknownCa,
            SshCertificateValidation.Check(certificate, SshCertificateType.Host, user, "web1", Now, new HashSet<string>())?.Problem);
        var listing = await SshKeygenListAsync(certificate);
        Assert.Contains("host certificate", listing);
        Assert.Contains("Key ID: \"gatehouse host web1\"", listing);
        Assert.Contains($"Serial: {certificate.Serial}", listing);
    }

    [Fact]
    public async Task Should_keep_the_private_key_sealed_at_rest_and_open_it_only_with_the_vault_key()
    {
        var cipher = CaStore.Cipher("sealing-test");
        var ca = store.Ca(cipher, new ManualClock(Now));
        var ring = await ca.RingAsync(CaKind.User, default);

        var stored = await StoredTextAsync();
        Assert.DoesNotContain("PRIVATE KEY", stored);
        Assert.Contains(ring.Trusted[0].PublicKey.Split(' ')[1], stored);
        var sameVaultKey = store.Ca(cipher, new ManualClock(Now));
        var certificate = await sameVaultKey.SignAsync(CaKind.User, Request(), default);
        Assert.Equal(ring.Trusted[0].Parsed().Blob, certificate.SignatureKey);
        var otherVaultKey = store.Ca(CaStore.Cipher("sealing-test"), new ManualClock(Now));
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() =>
            otherVaultKey.SignAsync(CaKind.User, Request(), default));
    }

    [Fact]
    public async Task Should_trust_old_and_new_keys_during_a_rotation_and_sign_with_the_new_one_from_its_time()
    {
        var clock = new ManualClock(Now);
        var ca = store.Ca(CaStore.Cipher("rotation"), clock);
        var before = await ca.RingAsync(CaKind.Host, default);
        var old = before.Signing(Now)!;

        var next = await ca.RotateAsync(CaKind.Host, Now.AddHours(2), Ops, default);

        var during = await ca.RingAsync(CaKind.Host, default);
        Assert.Contains(during.Trusted, k => k.Fingerprint == old.Fingerprint);
        Assert.Contains(during.Trusted, k => k.Fingerprint == next.Fingerprint);
        Assert.Equal(old.Fingerprint, (await ca.SignHostCertificateAsync(HostKey, ["h"], Now, Now.AddHours(1), "h", default)).CaFingerprint);
        Assert.NotNull(await ca.RetireAsync(CaKind.Host, old.Fingerprint, Ops, default));

        clock.Set(Now.AddHours(2));
        Assert.Equal(next.Fingerprint, (await ca.SignHostCertificateAsync(HostKey, ["h"], Now, Now.AddHours(3), "h", default)).CaFingerprint);
        Assert.NotNull(await ca.RetireAsync(CaKind.Host, next.Fingerprint, Ops, default));
        Assert.Null(await ca.RetireAsync(CaKind.Host, old.Fingerprint, Ops, default));
        var after = await ca.RingAsync(CaKind.Host, default);
        Assert.DoesNotContain(after.Trusted, k => k.Fingerprint == old.Fingerprint);
        Assert.Contains(after.Trusted, k => k.Fingerprint == next.Fingerprint);
    }

    [Fact]
    public async Task Should_reseal_its_keys_under_a_new_vault_key_so_the_old_one_can_be_removed()
    {
        var old = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var next = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var before = store.Ca(new Gatehouse.SessionBroker.Vault.VaultCipher(new Dictionary<string, byte[]> { ["old"] = old }, "old"), new ManualClock(Now));
        var signer = (await before.RingAsync(CaKind.User, default)).Trusted[0].Fingerprint;
        var onlyNew = new Gatehouse.SessionBroker.Vault.VaultCipher(new Dictionary<string, byte[]> { ["new"] = next }, "new");
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() =>
            store.Ca(onlyNew, new ManualClock(Now)).SignAsync(CaKind.User, Request(), default));

        await using (var session = store.Store.LightweightSession())
        {
            var both = new Gatehouse.SessionBroker.Vault.VaultCipher(new Dictionary<string, byte[]> { ["old"] = old, ["new"] = next }, "new");
            Assert.Empty(await GatehouseCa.ResealAsync(session, both, "ops", Now, default));
            await session.SaveChangesAsync();
        }

        var certificate = await store.Ca(onlyNew, new ManualClock(Now)).SignAsync(CaKind.User, Request(), default);
        Assert.Equal(signer, certificate.CaFingerprint);
    }

    private static SshCertificateRequest Request() =>
        new(HostKey, SshCertificateType.User, GatehouseCa.NewSerial(), "alice", ["deploy"], Now, Now.AddMinutes(5));

    private async Task<string> StoredTextAsync()
    {
        var configuration = Infrastructure.ServiceConfiguration("session-broker", store.Schema);
        var connection = new NpgsqlConnectionStringBuilder(configuration["ConnectionStrings:Postgres"]) { Password = configuration["Gatehouse:EventStore:Password"] };
        await using var db = new NpgsqlConnection(connection.ConnectionString);
        await db.OpenAsync(default);
        await using var command = new NpgsqlCommand(
            $"SELECT string_agg(data::text, E'\\n') FROM \"{store.Schema}\".mt_events", db);
        return (string)(await command.ExecuteScalarAsync(default))!;
    }

    private static async Task<string> SshKeygenListAsync(SshCertificate certificate)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("gatehouse-ca-").FullName, "host-cert.pub");
        await File.WriteAllTextAsync(file, certificate.ToLine() + "\n", default);
        using var process = Process.Start(new ProcessStartInfo("ssh-keygen", ["-L", "-f", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync(default);
        await process.WaitForExitAsync(default);
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync(default));
        Directory.Delete(Path.GetDirectoryName(file)!, true);
        return output;
    }
}
