using System.Net;
using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Vault;

/// <summary>
/// Rotation as an operator does it: add a new key and make it active (the SessionBroker restarts with the new
/// configuration), re-seal, check that the old key seals nothing any more, remove it (another restart). The stack is
/// this class's own, because it restarts the SessionBroker.
/// </summary>
public sealed class When_the_vault_key_is_rotated(GatehouseStack stack) : IClassFixture<GatehouseStack>
{
    [Fact]
    public async Task Should_keep_sessions_working_under_the_old_key_after_resealing_and_after_the_old_key_is_removed()
    {
        var (oldKey, oldMaterial) = (stack.ActiveVaultKey, stack.VaultKeys[stack.ActiveVaultKey]);
        var (user, target, _) = await stack.AUserWithAGrantAsync("rotate", "rotate");
        Assert.Equal(oldKey, await KeyOfAsync(target));
        await AssertSessionWorksAsync(user, target, "sealed-under-old");

        var newKey = $"rotated-{Guid.NewGuid():N}"[..16];
        await stack.RestartBrokerAsync(new Dictionary<string, string> { [oldKey] = oldMaterial, [newKey] = GatehouseStack.NewVaultKey() }, newKey);
        Assert.Equal(oldKey, await KeyOfAsync(target));
        await AssertSessionWorksAsync(user, target, "old-key-still-configured");

        var resealed = await GatehouseCli.RunAsync(stack, "vault", "reseal");
        Assert.True(resealed.Exit == 0, resealed.Error);
        var answer = JsonSerializer.Deserialize<JsonElement>(resealed.Out);
        Assert.Equal(newKey, answer.GetProperty("activeKey").GetString());
        Assert.True(answer.GetProperty("count").GetInt32() >= 1, resealed.Out);
        Assert.Equal(newKey, await KeyOfAsync(target));
        var recorded = (await stack.BrokerEventsAsync(e => e is TargetCredentialStored s && s.Target == target)).Cast<TargetCredentialStored>().ToList();
        Assert.Equal([oldKey, newKey], recorded.Select(e => e.VaultKeyId));
        Assert.Equal(GatehouseStack.AdminName, recorded[^1].Actor);
        Assert.Equal(0, (await KeysAsync()).Single(k => k.GetProperty("keyId").GetString() == oldKey).GetProperty("credentials").GetInt32());
        await AssertSessionWorksAsync(user, target, "resealed");

        await stack.RestartBrokerAsync(new Dictionary<string, string> { [newKey] = stack.VaultKeys[newKey] }, newKey);
        await AssertSessionWorksAsync(user, target, "old-key-removed");
        Assert.Equal(newKey, await KeyOfAsync(target));
        var keys = JsonSerializer.Deserialize<JsonElement>((await GatehouseCli.RunAsync(stack, "vault", "keys")).Out);
        Assert.Equal([newKey], keys.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("keyId").GetString()));
        Assert.Empty(keys.GetProperty("unopenable").EnumerateArray());
        Assert.DoesNotContain(oldMaterial, string.Join('\n', stack.BrokerLog.Lines));
    }

    [Fact]
    public async Task Should_refuse_a_session_whose_key_was_removed_before_resealing_and_reseal_nothing_until_it_is_back()
    {
        var (oldKey, oldMaterial) = (stack.ActiveVaultKey, stack.VaultKeys[stack.ActiveVaultKey]);
        var (user, target, _) = await stack.AUserWithAGrantAsync("forgot", "forgot");
        var newKey = $"rotated-{Guid.NewGuid():N}"[..16];
        var newMaterial = GatehouseStack.NewVaultKey();
        await stack.RestartBrokerAsync(new Dictionary<string, string> { [newKey] = newMaterial }, newKey);
        var seenByTarget = stack.Target.Log.Count;

        var refused = await OpenSsh.SshAsync(stack, user, target, "true");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"gatehouse: the vaulted credential for {SshTarget.Login}@{target} cannot be opened on this gateway; an administrator must store it again",
            Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain(stack.Target.Log.Skip(seenByTarget), line => line.Contains("Accepted"));
        var refusal = (SessionRefused)(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name)).Single();
        Assert.Equal(SessionRefusalReason.NoCredential, refusal.Reason);
        Assert.Contains(stack.BrokerLog.Lines, line => line.Contains($"sealed under vault key {oldKey}, which is not configured"));
        var keys = JsonSerializer.Deserialize<JsonElement>(await stack.BrokerAdmin.GetStringAsync("api/vault/keys"));
        Assert.Contains(keys.GetProperty("unopenable").EnumerateArray(), e => e.GetProperty("target").GetString() == target);
        Assert.False(keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == oldKey).GetProperty("configured").GetBoolean());

        var stuck = await stack.BrokerAdmin.PostAsync("api/vault/reseal", null);
        Assert.Equal(HttpStatusCode.Conflict, stuck.StatusCode);
        Assert.Contains(target, await stuck.Content.ReadAsStringAsync());
        Assert.Equal(oldKey, await KeyOfAsync(target));

        await stack.RestartBrokerAsync(new Dictionary<string, string> { [oldKey] = oldMaterial, [newKey] = newMaterial }, newKey);
        var resealed = await stack.BrokerAdmin.PostAsync("api/vault/reseal", null);
        Assert.True(resealed.IsSuccessStatusCode, await resealed.Content.ReadAsStringAsync());
        Assert.Equal(newKey, await KeyOfAsync(target));
        await AssertSessionWorksAsync(user, target, "back");
    }

    private async Task AssertSessionWorksAsync(GatehouseUser user, string target, string word)
    {
        var result = await OpenSsh.SshAsync(stack, user, target, $"echo {word}");
        Assert.True(result.ExitCode == 0, $"{word}: exit {result.ExitCode}: {result.Error}");
        Assert.Equal(word + "\n", result.Text);
    }

    private async Task<string?> KeyOfAsync(string target)
    {
        var listed = await GatehouseCli.RunAsync(stack, "vault", "list");
        Assert.True(listed.Exit == 0, listed.Error);
        return JsonSerializer.Deserialize<JsonElement>(listed.Out).EnumerateArray()
            .Single(e => e.GetProperty("target").GetString() == target).GetProperty("keyId").GetString();
    }

    private async Task<IReadOnlyList<JsonElement>> KeysAsync()
    {
        var keys = await GatehouseCli.RunAsync(stack, "vault", "keys");
        Assert.True(keys.Exit == 0, keys.Error);
        return JsonSerializer.Deserialize<JsonElement>(keys.Out).GetProperty("keys").EnumerateArray().ToList();
    }
}
