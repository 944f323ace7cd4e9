namespace Gatehouse.Contracts.Sessions;

/// <summary>
/// A gateway instance is stopping: the others stop waiting for its answer to <see cref="FindLiveSessions"/>. One that
/// stops without saying so (a crash) is waited for, and named as silent, until it has not answered for a while.
/// </summary>
public sealed record GatewayInstanceStopping(string Instance);
