using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Decisions;

/// <summary>The outcome of one access decision, before it is recorded and answered.</summary>
public abstract record AccessVerdict;

public sealed record AccessAllowedBy(Grant Grant, Target Target) : AccessVerdict;

/// <summary>
/// <see cref="Reason"/> and <see cref="Detail"/> are the precise account the SOC reads in the event; <see cref="ShownToUser"/>
/// is what the user is told, which never says more than the user's own grants already do.
/// </summary>
public sealed record AccessRefusedFor(AccessDenialReason Reason, string Detail, string ShownToUser) : AccessVerdict
{
    /// <summary>A refusal about the user or the user's own grant: the user may read the detail.</summary>
    public AccessRefusedFor(AccessDenialReason reason, string detail) : this(reason, detail, detail)
    {
    }

    /// <summary>No grant of the user covers the target: the same words whether the target or the login exists or not.</summary>
    public static AccessRefusedFor NotCovered(AccessDenialReason reason, string detail) => new(reason, detail, AccessRefused.NotCovered);
}
