namespace Gatehouse.Contracts;

/// <summary>Authorization allowed a user to reach a target with a login.</summary>
/// <param name="GrantId">The grant that allowed it.</param>
/// <param name="ForwardingDestinations">The destinations the grant lets a forward reach; null in decisions recorded before they existed.</param>
/// <param name="RemoteForwardingPorts">The ports the grant lets ssh -R listen on at the target; null in decisions recorded before they existed.</param>
/// <param name="MaxSessionLength">The longest the session may last under that grant, if limited.</param>
public sealed record AccessGranted(
    string UserName,
    string Target,
    string Login,
    Guid GrantId,
    TimeSpan? MaxSessionLength,
    bool PortForwardingAllowed,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string>? ForwardingDestinations = null,
    IReadOnlyList<string>? RemoteForwardingPorts = null) : IAccessEvent;
