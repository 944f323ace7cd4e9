using System.Security.Cryptography;
using Marten;

namespace Gatehouse.SessionBroker.Vault;

/// <summary>A target credential opened for one connection. Never logged, never leaves the gateway.</summary>
public sealed record TargetCredential(CredentialKind Kind, byte[] Secret);

/// <summary>Opens the credential the gateway uses for a target login.</summary>
public sealed class CredentialVault(IDocumentStore store, VaultCipher cipher)
{
    /// <summary>Null when the vault holds nothing for the slot.</summary>
    public async Task<TargetCredential?> OpenAsync(string target, string login, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var credential = await session.LoadAsync<VaultCredential>(VaultCredential.SlotId(target, login), cancellationToken);
        if (credential is null || credential.Removed)
        {
            return null;
        }

        try
        {
            return new TargetCredential(credential.Kind, cipher.Open(credential.Secret, credential.Target, credential.Login));
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"The vaulted credential for {login}@{target} cannot be opened: {e.Message}", e);
        }
    }
}
