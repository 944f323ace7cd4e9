using System.Security.Cryptography;
using System.Text;
using Gatehouse.Vocabulary;

namespace Gatehouse.Authentication.Bootstrap;

/// <summary>
/// A random secret in a file (mode 0600) of the state directory: whoever presents it can read that directory, so is
/// the operator on the host. The service keeps only its hash. Used by the first-admin bootstrap and by break-glass.
/// </summary>
public sealed class HostLocalSecret(string filePath)
{
    private byte[]? _hash;

    public string FilePath => filePath;

    /// <summary>Replaces any earlier secret with a fresh one, in the file and in memory.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        Withdraw();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using (var stream = PrivateFiles.Create(filePath))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(secret + "\n"), cancellationToken);
        }

        _hash = SHA256.HashData(Encoding.ASCII.GetBytes(secret));
    }

    /// <summary>No secret is valid any more, and the file is gone.</summary>
    public void Withdraw()
    {
        _hash = null;
        Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
        File.Delete(filePath);
    }

    public bool Matches(string secret) =>
        _hash is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.ASCII.GetBytes(secret.Trim())));
}
