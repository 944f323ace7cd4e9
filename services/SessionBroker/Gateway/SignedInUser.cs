using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.SessionBroker.Connecting;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>
/// Who the login conversation let in, fixed once it succeeded: the Gatehouse user and the target and login they named,
/// how they proved it, from where, and the connection whose events carry its correlation id. The roles they had then
/// are the start; later changes of roles are the connection's access to follow.
/// </summary>
public sealed record SignedInUser(
    Guid ConnectionId,
    GatewayUserName Name,
    string Method,
    string? KeyFingerprint,
    bool MfaVerified,
    IReadOnlyList<string> ApiRoles,
    string SourceAddress)
{
    public string User => Name.User;

    public string Target => Name.Target;

    /// <summary>The login used on the target: the one named, else the Gatehouse user name (as ssh defaults to the local user).</summary>
    public string Login => Name.Login ?? Name.User;

    public string CorrelationId => CorrelationIds.Of(ConnectionId);

    /// <summary>The key exchange, cipher and host key algorithm the user's client and the gateway negotiated.</summary>
    public SshAlgorithms? ClientSsh { get; init; }
}
