using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>A forward asked for is allowed under the decision's grant, or refused with the reason and the line the client is shown.</summary>
public sealed record ForwardingVerdict(AccessAllowed? Allowed, ForwardingRefusalReason Reason, string Message);

/// <summary>Whether a forward may open (a local one, ssh -L/-W, or a remote one, ssh -R): the pure part of the decision, asked afresh each time.</summary>
public static class ForwardingRules
{
    /// <summary>The longest destination host kept in an event or shown back; a DNS name is at most 253.</summary>
    private const int LongestHost = 255;

    public static ForwardingVerdict Decide(AccessDecision decision, string host, uint port)
    {
        if (decision.Allowed is not { } access)
        {
            return new(null, ForwardingRefusalReason.AccessRefused, decision.Message);
        }

        if (!access.PortForwardingAllowed)
        {
            return new(null, ForwardingRefusalReason.NotAllowedByGrant,
                $"gatehouse: port forwarding to {Shown(host, port)} is refused: your grant for {access.Login}@{access.Target} does not allow port forwarding");
        }

        if (!ForwardingDestinations.Allows(access.ForwardingDestinations, host, port))
        {
            return new(null, ForwardingRefusalReason.DestinationNotListed,
                $"gatehouse: port forwarding to {Shown(host, port)} is refused: it is not a destination your grant for {access.Login}@{access.Target} lists");
        }

        return new(access, default, "");
    }

    /// <summary>
    /// Whether the target may listen for the client (ssh -R) on <paramref name="address"/>:<paramref name="port"/>: only when
    /// the grant allows port forwarding and lists the port, and only on the target's loopback, so a grant never opens a
    /// target's other interfaces to its network. Port 0 (the target picks one) needs a grant that allows any port.
    /// </summary>
    public static ForwardingVerdict DecideRemote(AccessDecision decision, string address, uint port)
    {
        if (decision.Allowed is not { } access)
        {
            return new(null, ForwardingRefusalReason.AccessRefused, decision.Message);
        }

        var shown = Shown(address, port);
        if (!access.PortForwardingAllowed || access.RemoteForwardingPorts is not { Count: > 0 })
        {
            return new(null, ForwardingRefusalReason.NotAllowedByGrant,
                $"gatehouse: remote port forwarding on {shown} is refused: your grant for {access.Login}@{access.Target} does not allow remote port forwarding");
        }

        if (TargetListenAddress(address) is null)
        {
            return new(null, ForwardingRefusalReason.DestinationNotListed,
                $"gatehouse: remote port forwarding on {shown} is refused: the target listens only on its loopback (localhost, 127.0.0.1 or ::1)");
        }

        if (!RemoteForwardingPorts.Allows(access.RemoteForwardingPorts, port))
        {
            return new(null, ForwardingRefusalReason.DestinationNotListed, port == 0
                ? $"gatehouse: remote port forwarding on {shown} is refused: a port the target picks needs a grant for any port, and your grant for {access.Login}@{access.Target} lists only some"
                : $"gatehouse: remote port forwarding on {shown} is refused: it is not a port your grant for {access.Login}@{access.Target} lists");
        }

        return new(access, default, "");
    }

    /// <summary>The loopback address the target listens on for what the client asked; null for anything else.</summary>
    public static System.Net.IPAddress? TargetListenAddress(string address) => address.ToLowerInvariant() switch
    {
        "localhost" or "127.0.0.1" => System.Net.IPAddress.Loopback,
        "::1" or "[::1]" => System.Net.IPAddress.IPv6Loopback,
        _ => null,
    };

    /// <summary>The destination as the client sent it, made safe for a log line, an event and the client's terminal.</summary>
    public static string Printable(string host) => Vocabulary.Printable.Of(host, LongestHost);

    public static string Shown(string host, uint port) =>
        Printable(host) is var printable && printable.Contains(':') ? $"[{printable}]:{port}" : $"{Printable(host)}:{port}";
}
