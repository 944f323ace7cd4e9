namespace Gatehouse.Authorization.Users;

/// <summary>
/// Whether the Authentication service has disabled (or deleted) a user, as last heard on the bus. Kept as a document, not
/// re-appended as events: the events are Authentication's, and appending them here would publish them a second time.
/// </summary>
/// <param name="Id">The user name.</param>
public sealed record UserStatus(string Id, bool Disabled, string Change, string ChangedBy, DateTimeOffset ChangedAt);
