using System.Net;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.SessionBroker.Jumping;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>Runs the SSH gateway with the service: listens when the host starts, disconnects everyone when it stops.</summary>
public sealed class GatewayListener(IOptions<GatewaySettings> options, StatePaths paths, BrokeringHooks hooks, InnerConnections jumps,
    ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private SshServer? _server;

    /// <summary>Where users connect; known once the host started (the port may have been 0).</summary>
    public IPEndPoint EndPoint => _server?.LocalEndPoint ?? throw new InvalidOperationException("The gateway is not listening yet");

    /// <summary>What the gateway offers clients (algorithms, limits), as it started with them; null before it started.</summary>
    public SshServerOptions? Options { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        TargetChannel.EnsureAvailable();
        if (TargetTunnel.Unavailable is { } problem)
        {
            // Sessions still work; every port forward is refused with this reason (and an event).
            loggers.CreateLogger<GatewayListener>().LogError("Port forwarding is refused on this gateway: {Problem}", problem);
        }
        else if (TargetListener.Unavailable is { } remote)
        {
            // Local forwards still work; every remote forward is refused with this reason (and an event).
            loggers.CreateLogger<GatewayListener>().LogError("Remote port forwarding is refused on this gateway: {Problem}", remote);
        }

        var settings = options.Value;
        var hostKeys = paths.Resolve(settings.HostKeyDirectory);
        Options = settings.ToServerOptions(hostKeys);
        _server = new SshServer(Options, hooks, loggers);
        await _server.StartAsync(cancellationToken);
        jumps.ServeOn(_server, new TargetHostIdentities(hostKeys, loggers.CreateLogger<TargetHostIdentities>()));
        loggers.CreateLogger<GatewayListener>().LogInformation("SSH gateway listening on {EndPoint}", _server.LocalEndPoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
