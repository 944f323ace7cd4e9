namespace Gatehouse.SessionBroker.Vault;

public enum CredentialKind
{
    /// <summary>An OpenSSH or PEM private key, unencrypted: the vault is what protects it.</summary>
    PrivateKey,
    Password,
}
