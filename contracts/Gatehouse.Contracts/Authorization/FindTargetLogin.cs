namespace Gatehouse.Contracts.Authorization;

/// <summary>
/// The SessionBroker asks whether a target of this name is registered and declares this login, before it stores a
/// vault credential for them. Answered with <see cref="TargetLoginFound"/> or <see cref="TargetLoginNotFound"/>.
/// </summary>
public sealed record FindTargetLogin(string Target, string Login);
