using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Vault;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Vault;

[Collection(GatehouseCollection.Name)]
public sealed class When_an_administrator_stores_a_target_credential(GatehouseStack stack)
{
    [Fact]
    public async Task Should_keep_it_sealed_at_rest_under_a_named_key_and_never_show_it()
    {
        var target = await stack.RegisterTargetAsync("sealed");
        var key = await File.ReadAllTextAsync(stack.VaultKey);
        var keyBody = key.Split('\n')[1];

        var listing = await stack.BrokerAdmin.GetStringAsync("api/vault/credentials");
        var entry = JsonSerializer.Deserialize<JsonElement>(listing).EnumerateArray().Single(e => e.GetProperty("target").GetString() == target);
        Assert.Equal("2026-a", entry.GetProperty("keyId").GetString());
        Assert.Equal("PrivateKey", entry.GetProperty("kind").GetString());
        Assert.DoesNotContain(keyBody, listing);

        await using var session = stack.Broker.GetRequiredService<IDocumentStore>().QuerySession();
        var slot = VaultCredential.SlotId(target, SshTarget.Login);
        var stored = await session.Events.FetchStreamAsync(slot);
        var json = JsonSerializer.Serialize(stored.Select(e => e.Data), GatehouseStack.Json);
        Assert.DoesNotContain(keyBody, json);
        Assert.DoesNotContain("OPENSSH PRIVATE KEY", json);
        Assert.Equal("2026-a", stored.Select(e => e.Data).OfType<CredentialStored>().Single().Secret.KeyId);
        var audited = stored.Select(e => e.Data).OfType<Gatehouse.Contracts.TargetCredentialStored>().Single();
        Assert.Equal((target, SshTarget.Login, "PrivateKey", "2026-a", GatehouseStack.AdminName),
            (audited.Target, audited.Login, audited.Kind, audited.VaultKeyId, audited.Actor));
    }

    [Fact]
    public async Task Should_refuse_what_is_not_a_credential_and_store_nothing()
    {
        var response = await stack.BrokerAdmin.PutAsJsonAsync("api/vault/credentials/web01/root", new { privateKey = "not a key", password = "also" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var session = stack.Broker.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Empty(await session.Events.FetchStreamAsync(VaultCredential.SlotId("web01", "root")));
    }

    [Fact]
    public async Task Should_refuse_a_target_that_is_not_registered_and_store_nothing()
    {
        var response = await stack.BrokerAdmin.PutAsJsonAsync("api/vault/credentials/no-such-target/root", new { password = "a password" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("there is no target named 'no-such-target': register it first", await DetailAsync(response));
        await AssertNothingStoredAsync("no-such-target", "root");
    }

    [Fact]
    public async Task Should_refuse_a_login_the_target_does_not_declare_and_store_nothing()
    {
        var target = await stack.RegisterTargetAsync("nologin", storeCredential: false);

        var response = await stack.BrokerAdmin.PutAsJsonAsync($"api/vault/credentials/{target}/rooot", new { password = "a password" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith($"target {target} does not declare the login 'rooot' (its logins: {SshTarget.Login})", await DetailAsync(response));
        await AssertNothingStoredAsync(target, "rooot");
    }

    [Fact]
    public async Task Should_show_the_operator_why_in_the_cli()
    {
        var passwordFile = Path.Combine(stack.Work, $"password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, "a password\n");

        var result = await GatehouseCli.RunAsync(stack, "vault", "store", "no-such-host", "root", "--password-file", passwordFile);

        Assert.Equal(1, result.Exit);
        Assert.StartsWith("Failed (404): there is no target named 'no-such-host': register it first", result.Error);
        await AssertNothingStoredAsync("no-such-host", "root");
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Fact]
    public async Task Should_refuse_a_login_with_a_trailing_newline_and_store_nothing()
    {
        var target = await stack.RegisterTargetAsync("newline");

        var response = await stack.BrokerAdmin.PutAsJsonAsync($"api/vault/credentials/{target}/{Uri.EscapeDataString(SshTarget.Login + "\n")}",
            new { password = "a password" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var session = stack.Broker.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Empty(await session.Events.FetchStreamAsync(VaultCredential.SlotId(target, SshTarget.Login + "\n")));
    }

    private async Task AssertNothingStoredAsync(string target, string login)
    {
        await using var session = stack.Broker.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Empty(await session.Events.FetchStreamAsync(VaultCredential.SlotId(target, login)));
        Assert.DoesNotContain(await stack.BrokerEventsAsync(), e => e is Gatehouse.Contracts.TargetCredentialStored stored && stored.Target == target);
    }

    [Fact]
    public async Task Should_refuse_callers_without_an_admin_token()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.BrokerAdmin.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/vault/credentials")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/sessions")).StatusCode);
    }
}
