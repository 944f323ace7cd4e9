namespace Gatehouse.SessionBroker.Vault;

/// <summary>A credential for a target login was sealed into the vault (or replaced, or re-sealed under a newer key).</summary>
public sealed record CredentialStored(
    Guid SlotId,
    string Target,
    string Login,
    CredentialKind Kind,
    SealedSecret Secret,
    string StoredBy,
    DateTimeOffset StoredAt);

public sealed record CredentialRemoved(
    Guid SlotId,
    string Target,
    string Login,
    string RemovedBy,
    DateTimeOffset RemovedAt);
