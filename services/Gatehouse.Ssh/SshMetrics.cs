using System.Diagnostics.Metrics;
using Gatehouse.Ssh.PreAuthentication;

namespace Gatehouse.Ssh;

/// <summary>The gateway's own meter; a host adds <see cref="MeterName"/> to its OpenTelemetry metrics.</summary>
public static class SshMetrics
{
    public const string MeterName = "Gatehouse.Ssh";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("gatehouse.ssh.unauthenticated_refused",
        description: "Connections refused by the pre-authentication limits (at accept, or at a key exchange over the rate), by reason");

    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("gatehouse.ssh.unauthenticated_dropped",
        description: "Unauthenticated connections ended by the gateway: grace time exceeded, or evicted to make room, by reason");

    internal static void CountRefused(PreAuthRefusal reason) => Refused.Add(1, new KeyValuePair<string, object?>("reason", Tag(reason)));

    internal static void CountDropped(string reason) => Dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal static string Tag(PreAuthRefusal reason) => reason switch
    {
        PreAuthRefusal.GatewayFull => "gateway_full",
        PreAuthRefusal.SourceLimit => "source_limit",
        PreAuthRefusal.SubnetLimit => "subnet_limit",
        PreAuthRefusal.SourceShareUnderPressure => "source_share",
        PreAuthRefusal.SubnetShareUnderPressure => "subnet_share",
        PreAuthRefusal.SourceKeyExchangeRate => "source_key_exchange_rate",
        PreAuthRefusal.SubnetKeyExchangeRate => "subnet_key_exchange_rate",
        _ => "none",
    };
}
