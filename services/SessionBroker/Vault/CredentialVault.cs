using System.Security.Cryptography;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Targets;
using Marten;

namespace Gatehouse.SessionBroker.Vault;

/// <summary>A target credential opened for one connection. Never logged, never leaves the gateway.</summary>
public sealed record TargetCredential(CredentialKind Kind, byte[] Secret);

/// <summary>Opens the credential the gateway uses for a target login.</summary>
public sealed class CredentialVault(IDocumentStore store, VaultCipher cipher, ILogger<CredentialVault> logger)
{
    /// <summary>
    /// Null when the vault holds nothing for the slot. A credential that cannot be opened (its vault key is no longer
    /// configured, or it was altered) refuses the session with <see cref="TargetConnectionException"/>.
    /// </summary>
    public async Task<TargetCredential?> OpenAsync(string target, string login, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var credential = await session.LoadAsync<VaultCredential>(VaultCredential.SlotId(target, login), cancellationToken);
        if (credential is null || credential.Removed)
        {
            return null;
        }

        // The user is told that an administrator must act; which key is missing goes to the log, for that administrator.
        var refusal = $"the vaulted credential for {login}@{target} cannot be opened on this gateway; an administrator must store it again";
        if (!cipher.CanOpen(credential.Secret))
        {
            logger.LogError("The credential for {Login}@{Target} is sealed under vault key {KeyId}, which is not configured (configured: {KeyIds})",
                login, target, credential.Secret.KeyId, string.Join(", ", cipher.KeyIds));
            throw new TargetConnectionException(refusal, SessionRefusalReason.NoCredential);
        }

        try
        {
            return new TargetCredential(credential.Kind, cipher.Open(credential.Secret, credential.Target, credential.Login));
        }
        catch (CryptographicException)
        {
            logger.LogError("The credential for {Login}@{Target} does not open under vault key {KeyId}: it was altered or the key is not the one it was sealed with",
                login, target, credential.Secret.KeyId);
            throw new TargetConnectionException(refusal, SessionRefusalReason.NoCredential);
        }
    }
}
