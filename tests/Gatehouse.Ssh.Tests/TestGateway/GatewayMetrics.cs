using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>Counts what the gateway's meter reports while a test runs (every gateway in the process reports to it).</summary>
internal sealed class GatewayMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public GatewayMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SshMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "reason") reason = tag.Value as string ?? "";
            }
            _counts.AddOrUpdate($"{instrument.Name}/{reason}", value, (_, n) => n + value);
        });
        _listener.Start();
    }

    public long Refused(string reason) => _counts.GetValueOrDefault($"gatehouse.ssh.unauthenticated_refused/{reason}");

    public long Dropped(string reason) => _counts.GetValueOrDefault($"gatehouse.ssh.unauthenticated_dropped/{reason}");

    public IEnumerable<string> All => _counts.Select(c => $"{c.Key}={c.Value}");

    public void Dispose() => _listener.Dispose();
}
