using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Jumping.ShowingKnownHosts;

/// <summary>
/// <c>GET /api/proxyjump/known-hosts?target=web01&amp;target=db01</c>: the gateway's port and host keys, and the host key
/// each target's ProxyJump connection is served with, for <c>gatehouse ssh-config</c> to print as known_hosts lines.
/// Public keys only; a name that is not a target name is refused.
/// </summary>
public static class ShowJumpKnownHosts
{
    private const int MostTargets = 200;

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/proxyjump/known-hosts", (string[]? target, InnerConnections jumps) =>
        {
            var targets = (target ?? []).Select(TargetNames.Normalise).Distinct().ToList();
            if (targets.Count > MostTargets)
            {
                return Results.Problem($"at most {MostTargets} targets at once", statusCode: StatusCodes.Status400BadRequest);
            }

            if (targets.FirstOrDefault(t => !TargetNames.IsValid(t)) is { } invalid)
            {
                return Results.Problem($"'{invalid}' is not a target name: {TargetNames.Rule}", statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Ok(jumps.KnownHosts(targets));
        });
}
