using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.SessionBroker.Vault;
using Gatehouse.SessionBroker.Vault.RemovingCredential;
using Gatehouse.TestSupport;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Gatehouse.SessionBroker.Tests.Vault.RemovingCredential;

/// <summary>The removal through the kit's fetch–decide–append–save on the real PostgreSQL: both events on the slot's stream, once.</summary>
public sealed class When_a_credential_is_removed_from_the_store : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly ApiCaller Admin = new("olga", "10.0.0.9", "trace-1", Now);
    private readonly string _schema = Infrastructure.UniqueSchema("vault_removal");
    private DocumentStore _store = null!;

    public Task InitializeAsync()
    {
        var configuration = Infrastructure.ServiceConfiguration("session-broker", _schema);
        var connection = new NpgsqlConnectionStringBuilder(configuration["ConnectionStrings:Postgres"])
        {
            Password = configuration["Gatehouse:EventStore:Password"],
        };
        _store = DocumentStore.For(options =>
        {
            options.Connection(connection.ConnectionString);
            options.DatabaseSchemaName = _schema;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            options.Events.StreamIdentity = StreamIdentity.AsGuid;
            options.Projections.Snapshot<VaultCredential>(SnapshotLifecycle.Inline);
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        });
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_append_the_vaults_record_and_the_access_event_once()
    {
        var slot = VaultCredential.SlotId("db01", "postgres");
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(slot, new CredentialStored(slot, "db01", "postgres", CredentialKind.Password,
                new SealedSecret("k1", [1], [2], [3]), "root-admin", Now.AddDays(-1)));
            await session.SaveChangesAsync();
        }

        var updates = new List<StreamUpdate>();
        for (var i = 0; i < 2; i++)
        {
            await using var session = _store.LightweightSession();
            var (update, _) = await session.GetAndUpdateAsync<VaultCredential, CredentialRemoval>(slot,
                credential => RemoveCredential.Decide(credential, Admin, EventIds.New(Now), Now), CancellationToken.None);
            updates.Add(update);
        }

        await using var query = _store.QuerySession();
        var stream = await query.Events.FetchStreamAsync(slot);
        Assert.Equal([StreamUpdate.Saved, StreamUpdate.Unchanged], updates);
        Assert.Equal([typeof(CredentialStored), typeof(CredentialRemoved), typeof(TargetCredentialRemoved)], stream.Select(e => e.Data.GetType()));
        Assert.True((await query.LoadAsync<VaultCredential>(slot))!.Removed);
    }

    [Fact]
    public async Task Should_find_nothing_to_remove_in_a_slot_never_filled()
    {
        await using var session = _store.LightweightSession();

        var (update, _) = await session.GetAndUpdateAsync<VaultCredential, CredentialRemoval>(VaultCredential.SlotId("db02", "root"),
            credential => RemoveCredential.Decide(credential, Admin, EventIds.New(Now), Now), CancellationToken.None);

        Assert.Equal(StreamUpdate.NotFound, update);
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await Infrastructure.DropSchemaAsync(_schema);
    }
}
