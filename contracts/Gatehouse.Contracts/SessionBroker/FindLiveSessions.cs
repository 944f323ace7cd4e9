namespace Gatehouse.Contracts.Sessions;

/// <summary>
/// Asks every gateway instance what it relays right now. Published, so each instance receives it on a queue of its own;
/// each answers <see cref="LiveSessionsHeld"/> to the response address, with the same <paramref name="AskId"/>.
/// </summary>
public sealed record FindLiveSessions(Guid AskId);
