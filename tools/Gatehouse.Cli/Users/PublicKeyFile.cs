namespace Gatehouse.Cli.Users;

/// <summary>Reads the public key file an operator names, refusing a private key before anything is sent.</summary>
public static class PublicKeyFile
{
    public static async Task<(string? Line, string? Error)> ReadAsync(FileInfo file)
    {
        if (!file.Exists || file.Length > 64 * 1024)
        {
            return (null, $"{file.FullName} does not exist or is not a public key file.");
        }

        var text = (await File.ReadAllTextAsync(file.FullName)).Trim();
        if (IsPrivateKey(text))
        {
            var pub = file.FullName + ".pub";
            return (null, $"{file.FullName} is a private key, which stays with its owner: give the public key (the .pub file"
                          + (File.Exists(pub) ? $", here {pub})." : ")."));
        }

        return (text, null);
    }

    /// <summary>OpenSSH, PEM (PKCS#1, PKCS#8, SEC1) and PuTTY private keys, as ssh-keygen and PuTTYgen write them.</summary>
    public static bool IsPrivateKey(string text) =>
        (text.StartsWith("-----BEGIN ", StringComparison.Ordinal) && text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        || text.StartsWith("PuTTY-User-Key-File-", StringComparison.Ordinal);
}
