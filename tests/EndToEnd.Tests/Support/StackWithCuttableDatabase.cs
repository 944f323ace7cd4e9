namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// A stack of its own whose SessionBroker reaches the real PostgreSQL only through a <see cref="TcpRelay"/>, so a test
/// can take the SessionBroker's database away without stopping the server that everything else on this machine uses.
/// </summary>
public sealed class StackWithCuttableDatabase : IAsyncLifetime
{
    private const int PostgresPort = 5432;

    public StackWithCuttableDatabase() => Stack = new GatehouseStack { BrokerDatabasePort = Relay.Port };

    public TcpRelay Relay { get; } = TcpRelay.Start(PostgresPort);

    public GatehouseStack Stack { get; }

    public Task InitializeAsync() => Stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        // Whatever a test left behind, the broker needs its database to stop cleanly.
        Relay.Restore();
        await Stack.DisposeAsync();
        await Relay.DisposeAsync();
    }
}
