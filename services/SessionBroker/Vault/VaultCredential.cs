using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Vault;

/// <summary>The current credential of one slot (a target and a login), kept as an inline snapshot of its stream.</summary>
public sealed record VaultCredential(
    Guid Id,
    string Target,
    string Login,
    CredentialKind Kind,
    SealedSecret Secret,
    string StoredBy,
    DateTimeOffset StoredAt,
    bool Removed)
{
    /// <summary>Each slot has one stream, whose id follows from the slot, so storing twice replaces.</summary>
    public static Guid SlotId(string target, string login) => DerivedIds.From("vault", target, login);

    public static VaultCredential Create(CredentialStored stored) =>
        new(stored.SlotId, stored.Target, stored.Login, stored.Kind, stored.Secret, stored.StoredBy, stored.StoredAt, false);

    public VaultCredential Apply(CredentialStored stored) => Create(stored);

    public VaultCredential Apply(CredentialRemoved removed) => this with { Removed = true };
}
