using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Ssh.PreAuthentication;

/// <summary>A connection that has not authenticated yet, as the admission decision sees it.</summary>
/// <param name="OpenedAt">Monotonic time the connection was accepted.</param>
internal sealed record UnauthenticatedConnection(long Id, IPAddress Source, TimeSpan OpenedAt, bool KeysExchanged);


internal enum AdmissionOutcome
{
    Admitted,
    AdmittedByEvicting,
    Refused,
}

/// <summary>Why a connection was refused or dropped before authentication; also the metric's reason tag.</summary>
internal enum PreAuthRefusal
{
    None,
    GatewayFull,
    SourceLimit,
    SubnetLimit,
    SourceShareUnderPressure,
    SubnetShareUnderPressure,
    SourceKeyExchangeRate,
    SubnetKeyExchangeRate,
}

internal sealed record Admission(AdmissionOutcome Outcome, PreAuthRefusal Refusal = PreAuthRefusal.None, UnauthenticatedConnection? Evicted = null)
{
    public static readonly Admission Admitted = new(AdmissionOutcome.Admitted);

    public string Describe() => DescribeRefusal(Refusal);

    public static string DescribeRefusal(PreAuthRefusal refusal) => refusal switch
    {
        PreAuthRefusal.GatewayFull => "the gateway holds its maximum of unauthenticated connections",
        PreAuthRefusal.SourceLimit => "too many unauthenticated connections from this source",
        PreAuthRefusal.SubnetLimit => "too many unauthenticated connections from this subnet",
        PreAuthRefusal.SourceShareUnderPressure => "the gateway is crowded and this source holds its share",
        PreAuthRefusal.SubnetShareUnderPressure => "the gateway is crowded and this subnet holds its share",
        PreAuthRefusal.SourceKeyExchangeRate => "too many key exchanges without signing in from this source: try again in a minute",
        PreAuthRefusal.SubnetKeyExchangeRate => "too many key exchanges without signing in from this subnet: try again in a minute",
        _ => "admitted",
    };
}

/// <summary>
/// Who may hold one of the gateway's unauthenticated slots, and for how long. Pure: the server passes in the
/// connections it holds and the time.
/// </summary>
/// <remarks>
/// Fairness is by subnet (IPv4 /24, IPv6 /64 by default) because one attacker rarely holds one address but
/// easily holds a block of them. Above the high-water mark each source and subnet may only add up to a small
/// share; when the gateway is full, a newcomer from a subnet holding fewer connections displaces the oldest
/// stalled connection of the subnet holding the most, provided that subnet still holds more than the newcomer's
/// would afterwards. So the slots tend to an equal share per subnet, and to deny a newcomer from a fresh subnet an
/// attacker needs every slot in a different subnet. Authenticated connections are not in the set at all: pressure
/// never ends a session.
/// </remarks>
internal static class UnauthenticatedAdmission
{
    public static Admission Decide(IReadOnlyCollection<UnauthenticatedConnection> held, IPAddress source, SshServerOptions options)
    {
        source = Normalize(source);
        var subnet = SubnetOf(source, options);
        var fromSource = held.Count(c => Normalize(c.Source).Equals(source));
        var fromSubnet = held.Count(c => SubnetOf(c.Source, options).Equals(subnet));

        if (fromSource >= options.MaxUnauthenticatedConnectionsPerSource) return new(AdmissionOutcome.Refused, PreAuthRefusal.SourceLimit);
        if (fromSubnet >= options.MaxUnauthenticatedConnectionsPerSubnet) return new(AdmissionOutcome.Refused, PreAuthRefusal.SubnetLimit);
        if (held.Count >= options.UnauthenticatedHighWaterMark)
        {
            if (fromSource >= options.SourceShareUnderPressure) return new(AdmissionOutcome.Refused, PreAuthRefusal.SourceShareUnderPressure);
            if (fromSubnet >= options.SubnetShareUnderPressure) return new(AdmissionOutcome.Refused, PreAuthRefusal.SubnetShareUnderPressure);
        }
        if (held.Count < options.MaxUnauthenticatedConnections) return Admission.Admitted;

        var largest = held.GroupBy(c => SubnetOf(c.Source, options))
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(c => c.OpenedAt))
            .First();
        // Only take from a subnet that would still hold more than the newcomer's: swapping equals gains nothing
        // and would let two attackers evict each other's slots and anyone else's in between.
        if (largest.Count() < fromSubnet + 2) return new(AdmissionOutcome.Refused, PreAuthRefusal.GatewayFull);
        var victim = largest.OrderBy(c => c.KeysExchanged).ThenBy(c => c.OpenedAt).First();
        return new(AdmissionOutcome.AdmittedByEvicting, PreAuthRefusal.GatewayFull, victim);
    }

    /// <summary>
    /// Whether a connection that has not authenticated may have the gateway compute a key exchange now, given how many
    /// its source and its subnet had computed within <see cref="SshServerOptions.PreAuthKeyExchangeWindow"/> (kept by
    /// <see cref="PreAuthKeyExchangeLog"/>). Each costs the gateway CPU (sntrup761 most) and the client only random
    /// bytes, and a connection may ask for one again and again before signing in, so the connection limits alone do not
    /// bound the rate.
    /// </summary>
    public static PreAuthRefusal DecideKeyExchange(int fromSource, int fromSubnet, SshServerOptions options) =>
        fromSource >= options.MaxPreAuthKeyExchangesPerSource ? PreAuthRefusal.SourceKeyExchangeRate
        : fromSubnet >= options.MaxPreAuthKeyExchangesPerSubnet ? PreAuthRefusal.SubnetKeyExchangeRate
        : PreAuthRefusal.None;

    /// <summary>
    /// Time from accepting the connection until it must have authenticated: the short key exchange grace while
    /// it has not finished key exchange (that costs an attacker nothing to stall), the full login grace after.
    /// </summary>
    public static TimeSpan GraceTime(bool keysExchanged, SshServerOptions options) =>
        keysExchanged ? options.LoginGraceTime : TimeSpan.FromTicks(Math.Min(options.KeyExchangeGraceTime.Ticks, options.LoginGraceTime.Ticks));

    public static bool IsOverdue(TimeSpan openedAt, bool keysExchanged, TimeSpan now, SshServerOptions options) =>
        now - openedAt > GraceTime(keysExchanged, options);

    /// <summary>The network a source belongs to for the per-subnet limits (IPv4-mapped IPv6 counts as IPv4).</summary>
    public static IPNetwork SubnetOf(IPAddress address, SshServerOptions options)
    {
        address = Normalize(address);
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? options.Ipv4SubnetPrefixLength : options.Ipv6SubnetPrefixLength;
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    internal static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
