using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Jumping;

/// <summary>Where a ProxyJump channel goes: a target whose inner SSH connection the gateway serves, or nowhere, with why.</summary>
public sealed record JumpVerdict(string? Target, string Message);

/// <summary>
/// The pure part of a channel opened on a ProxyJump connection (signed in with the plain user name): only a target's
/// SSH port is served, as the client names it (port 22; the gateway knows each target's own address and port). Whether
/// the target exists and the user may reach it is Authorization's to say when the inner connection signs in, with the
/// same answer as for <c>alice:deploy@web01</c>, so a refusal does not tell which targets exist.
/// </summary>
public static class JumpDestination
{
    public const int SshPort = 22;

    public static JumpVerdict Decide(string host, uint port)
    {
        var target = NameCase.Lower(host);
        if (!TargetNames.IsValid(target))
        {
            return new(null, $"gatehouse: ProxyJump reaches Gatehouse targets by name; {ForwardingRules.Shown(host, port)} is not a target name ({TargetNames.Rule})");
        }

        if (port != SshPort)
        {
            return new(null, $"gatehouse: ProxyJump reaches a target's SSH service on port {SshPort} only; {ForwardingRules.Shown(host, port)} is refused " +
                $"(for port forwarding, sign in as <user>:<target> under a grant that allows it)");
        }

        return new(target, "");
    }
}
