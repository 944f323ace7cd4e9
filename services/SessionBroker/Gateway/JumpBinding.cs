namespace Gatehouse.SessionBroker.Gateway;

/// <summary>
/// What an inner ProxyJump connection is bound to: the user signed in on the outer connection, and the target whose SSH
/// port the outer connection opened the channel to.
/// </summary>
public sealed record JumpBinding(SignedInUser Outer, string Target);
