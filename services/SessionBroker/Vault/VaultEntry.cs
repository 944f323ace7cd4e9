namespace Gatehouse.SessionBroker.Vault;

/// <summary>What the admin API shows of a vaulted credential: never the secret itself.</summary>
public sealed record VaultEntry(string Target, string Login, CredentialKind Kind, string KeyId, string StoredBy, DateTimeOffset StoredAt)
{
    public static VaultEntry Of(VaultCredential credential) =>
        new(credential.Target, credential.Login, credential.Kind, credential.Secret.KeyId, credential.StoredBy, credential.StoredAt);
}
