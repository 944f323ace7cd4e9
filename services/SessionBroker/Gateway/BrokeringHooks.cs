using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>Hands each SSH connection to the gateway its own <see cref="GatewayConnection"/>.</summary>
public sealed class BrokeringHooks(GatewayServices services) : ISshServerHooks
{
    public ValueTask<ISshConnectionHandler> ConnectionStartedAsync(SshConnectionInfo connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ISshConnectionHandler>(new GatewayConnection(connection, services));
}
