using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>A forward asked for is allowed under the decision's grant, or refused with the reason and the line the client is shown.</summary>
public sealed record ForwardingVerdict(AccessAllowed? Allowed, ForwardingRefusalReason Reason, string Message);

/// <summary>Whether a local forward (ssh -L, -W) may open: the pure part of the decision, asked afresh for every channel.</summary>
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

    /// <summary>The destination as the client sent it, made safe for a log line, an event and the client's terminal.</summary>
    public static string Printable(string host) =>
        new(host.Take(LongestHost).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    public static string Shown(string host, uint port) =>
        Printable(host) is var printable && printable.Contains(':') ? $"[{printable}]:{port}" : $"{Printable(host)}:{port}";
}
