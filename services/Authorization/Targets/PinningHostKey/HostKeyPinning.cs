using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Targets.PinningHostKey;

/// <summary>Trust on first use, and re-pinning by an administrator, as decisions over the target's state.</summary>
public static class HostKeyPinning
{
    public abstract record Outcome;

    public sealed record Pinned(TargetHostKeyPinned Event) : Outcome;

    public sealed record AlreadyPinned(string Fingerprint) : Outcome;

    public sealed record Mismatch(string Detail) : Outcome;

    /// <summary>The gateway met <paramref name="presented"/>: pin it if the target has no key yet, else it must be the pinned one.</summary>
    public static Outcome OnFirstUse(Target target, HostKeys.ParsedHostKey presented, string actor, string? source,
        string correlationId, Guid eventId, DateTimeOffset now)
    {
        if (target.HostKey is null)
        {
            return new Pinned(new TargetHostKeyPinned(target.Id, target.Name, presented.Canonical, presented.Fingerprint,
                true, null, actor, source, correlationId, eventId, now));
        }

        return target.HostKey == presented.Canonical
            ? new AlreadyPinned(presented.Fingerprint)
            : new Mismatch($"target {target.Name} presented {presented.Fingerprint} but {target.HostKeyFingerprint} is pinned");
    }

    /// <summary>An administrator pins a key, e.g. after the target's key was rotated; pinning the same key again changes nothing.</summary>
    public static Outcome ByAdministrator(Target target, HostKeys.ParsedHostKey key, string actor, string? source,
        string correlationId, Guid eventId, DateTimeOffset now) =>
        target.HostKey == key.Canonical
            ? new AlreadyPinned(key.Fingerprint)
            : new Pinned(new TargetHostKeyPinned(target.Id, target.Name, key.Canonical, key.Fingerprint, false,
                target.HostKeyFingerprint, actor, source, correlationId, eventId, now));
}
