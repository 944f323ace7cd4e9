using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Decisions;

/// <summary>The outcome of one access decision, before it is recorded and answered.</summary>
public abstract record AccessVerdict;

public sealed record AccessAllowedBy(Grant Grant, Target Target) : AccessVerdict;

public sealed record AccessRefusedFor(AccessDenialReason Reason, string Detail) : AccessVerdict;
