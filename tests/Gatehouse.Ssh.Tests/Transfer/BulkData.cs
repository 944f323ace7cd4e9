using System.Security.Cryptography;

namespace Gatehouse.Ssh.Tests.Transfer;

/// <summary>A file of random bytes with its SHA-256, for checking that data crosses the gateway intact.</summary>
public sealed record BulkData(string Path, string Sha256)
{
    public static BulkData Create(string directory, int mebibytes)
    {
        var path = System.IO.Path.Combine(directory, $"bulk-{mebibytes}m.bin");
        var chunk = new byte[1024 * 1024];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.Create(path))
        {
            for (var i = 0; i < mebibytes; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                sha.AppendData(chunk);
                file.Write(chunk);
            }
        }
        return new BulkData(path, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public static string HashOf(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
