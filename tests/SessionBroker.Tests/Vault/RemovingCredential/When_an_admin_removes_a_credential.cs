using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.SessionBroker.Vault;
using Gatehouse.SessionBroker.Vault.RemovingCredential;

namespace Gatehouse.SessionBroker.Tests.Vault.RemovingCredential;

/// <summary>The removal decided on the slot as stored, with no store.</summary>
public class When_an_admin_removes_a_credential
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly ApiCaller Admin = new("olga", "10.0.0.9", "trace-1", Now);
    private static readonly Guid EventId = Guid.Parse("0193a1b2-0000-7000-8000-00000000000e");

    private static VaultCredential Stored(bool removed = false) => new(VaultCredential.SlotId("db01", "postgres"), "db01", "postgres",
        CredentialKind.Password, new SealedSecret("k1", [1], [2], [3]), "root-admin", Now.AddDays(-1), removed);

    [Fact]
    public void Should_record_the_removal_in_the_vault_and_as_an_access_event()
    {
        var credential = Stored();

        var removal = RemoveCredential.Decide(credential, Admin, EventId, Now);

        Assert.Equal<object>([
            new CredentialRemoved(credential.Id, "db01", "postgres", "olga", Now),
            new TargetCredentialRemoved("db01", "postgres", "olga", "10.0.0.9", "trace-1", EventId, Now),
        ], removal.Events);
    }

    [Fact]
    public void Should_record_nothing_when_the_slot_is_already_empty() =>
        Assert.Empty(RemoveCredential.Decide(Stored(removed: true), Admin, EventId, Now).Events);
}
