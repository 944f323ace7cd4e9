using System.Security.Cryptography;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.SessionBroker.Vault;
using Gatehouse.TestSupport;
using JasperFx;
using JasperFx.Events;
using Marten;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Weasel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gatehouse.SessionBroker.Tests.CertificateAuthority;

/// <summary>The CA streams in a schema of their own on the real PostgreSQL, configured as the service configures its store.</summary>
public sealed class CaStore : IAsyncLifetime
{
    public string Schema { get; } = Infrastructure.UniqueSchema("ca_store");

    public DocumentStore Store { get; private set; } = null!;

    public static VaultCipher Cipher(string keyId = "k1") => new(new Dictionary<string, byte[]> { [keyId] = RandomNumberGenerator.GetBytes(32) }, keyId);

    public GatehouseCa Ca(VaultCipher cipher, TimeProvider clock, CertificateAuthoritySettings? settings = null) =>
        new(Store, cipher, Options.Create(settings ?? new CertificateAuthoritySettings()), clock, NullLogger<GatehouseCa>.Instance);

    public Task InitializeAsync()
    {
        var configuration = Infrastructure.ServiceConfiguration("session-broker", Schema);
        var connection = new NpgsqlConnectionStringBuilder(configuration["ConnectionStrings:Postgres"])
        {
            Password = configuration["Gatehouse:EventStore:Password"],
        };
        Store = DocumentStore.For(options =>
        {
            options.Connection(connection.ConnectionString);
            options.DatabaseSchemaName = Schema;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
            options.Events.StreamIdentity = StreamIdentity.AsGuid;
            options.Projections.Snapshot<CaKeyRing>(SnapshotLifecycle.Inline);
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Store.Dispose();
        await Infrastructure.DropSchemaAsync(Schema);
    }
}
