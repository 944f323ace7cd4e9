using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Vault;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Vault;

/// <summary>
/// The vault holds a password for a target login, and the gateway signs in to a real sshd with it: the user gets a
/// session as that login and never sees the password, and neither do the logs, the events or the recording.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_target_login_signs_in_with_a_password(GatehouseStack stack, PasswordTargets targets) : IClassFixture<PasswordTargets>
{
    private const string Login = PasswordAccount.Name;

    [RootFact]
    public async Task Should_open_the_session_with_the_vaulted_password_that_nobody_sees()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("pw", "pw", on: targets.SshdChecked, login: Login, storeCredential: false);
        var passwordFile = Path.Combine(stack.Work, $"password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, targets.Password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var stored = await GatehouseCli.RunAsync(stack, "vault", "store", target, Login, "--password-file", passwordFile);
        File.Delete(passwordFile);
        var listed = await GatehouseCli.RunAsync(stack, "vault", "list");
        var result = await OpenSsh.SshAsync(stack, user, target, "id -un; echo home=$HOME", login: Login);

        Assert.True(stored.Exit == 0, stored.Error);
        var entry = JsonSerializer.Deserialize<JsonElement>(listed.Out).EnumerateArray().Single(e => e.GetProperty("target").GetString() == target);
        Assert.Equal(("Password", stack.ActiveVaultKey), (entry.GetProperty("kind").GetString(), entry.GetProperty("keyId").GetString()));
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal($"{Login}\nhome=/home/{Login}\n", result.Text);
        Assert.Contains(targets.SshdChecked.Log, line => line.Contains($"Accepted password for {Login}"));

        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        Assert.Equal(Login, started.Login);
        var recording = Recording.Read(stack.RecordingDirectory, started.SessionId);
        await AssertNowhereAsync(targets.Password,
            stored.Out + stored.Error, listed.Out, result.Text + result.Error, await File.ReadAllTextAsync(recording.Path));
    }

    [RootFact]
    public async Task Should_answer_the_password_prompt_of_a_target_that_checks_passwords_through_pam()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("pam", "pam", on: targets.PamChecked, login: Login, storeCredential: false);
        await StoreAsync(target, targets.Password);

        var result = await OpenSsh.SshAsync(stack, user, target, "id -un", login: Login);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal($"{Login}\n", result.Text);
        Assert.Contains(targets.PamChecked.Log, line => line.Contains($"Accepted keyboard-interactive/pam for {Login}"));
        await AssertNowhereAsync(targets.Password, result.Text + result.Error);
    }

    [RootFact]
    public async Task Should_refuse_with_one_clear_line_when_the_target_refuses_the_vaulted_password()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("pwwrong", "pwwrong", on: targets.SshdChecked, login: Login, storeCredential: false);
        var wrong = "e2e-not-the-password-" + Guid.NewGuid().ToString("N");
        await StoreAsync(target, wrong);
        var marker = Path.Combine(Path.GetTempPath(), $"gatehouse-e2e-pw-{Guid.NewGuid():N}");

        var result = await OpenSsh.SshAsync(stack, user, target, $"touch {marker}", login: Login);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"gatehouse: {target} refused the vaulted credential for {Login}",
            Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(marker), "the command ran on the target");
        Assert.Contains(targets.SshdChecked.Log, line => line.Contains($"Failed password for {Login}"));
        var refused = (SessionRefused)(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name)).Single();
        Assert.Equal(SessionRefusalReason.TargetUnreachable, refused.Reason);
        await AssertNowhereAsync(wrong, result.Error);
    }

    [Fact]
    public async Task Should_refuse_a_password_that_could_never_sign_in_and_store_nothing()
    {
        var response = await stack.BrokerAdmin.PutAsJsonAsync($"api/vault/credentials/web02/{Login}", new { password = "two\nlines" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var session = stack.Broker.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Empty(await session.Events.FetchStreamAsync(VaultCredential.SlotId("web02", Login)));
    }

    private async Task StoreAsync(string target, string password)
    {
        using var response = await stack.BrokerAdmin.PutAsJsonAsync($"api/vault/credentials/{target}/{Login}", new { password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The secret is in none of the given texts, the SessionBroker's logs, its events or its vault documents (as text or base64).</summary>
    private async Task AssertNowhereAsync(string secret, params string[] texts)
    {
        await using var session = stack.Broker.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        var documents = await session.Query<VaultCredential>().ToListAsync();
        var everywhere = texts
            .Concat(stack.BrokerLog.Lines)
            .Append(JsonSerializer.Serialize(events.Select(e => e.Data), GatehouseStack.Json))
            .Append(JsonSerializer.Serialize(documents, GatehouseStack.Json));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        Assert.All(everywhere, text =>
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(encoded, text);
        });
    }
}
