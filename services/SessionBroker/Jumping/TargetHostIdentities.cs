using System.Security.Cryptography;
using System.Text;
using Gatehouse.Ssh;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Jumping;

/// <summary>
/// The host key each target's inner ProxyJump connection is served with: an ed25519 key derived from one secret seed
/// (HKDF-SHA256 with the target's name), kept beside the gateway's own host keys. Derived rather than stored per target:
/// a signed-in user naming made-up targets cannot make the gateway write files, and every instance sharing the folder
/// serves a target with the same key, also after a restart.
/// </summary>
public sealed class TargetHostIdentities
{
    private const string SeedFile = "proxyjump_target_keys.seed";
    private readonly byte[] _seed;

    public TargetHostIdentities(string directory, ILogger logger)
    {
        _seed = LoadOrCreateSeed(Path.Combine(directory, SeedFile), logger);
    }

    /// <summary>The identity of <paramref name="target"/> (its registered, lower-case name); the caller disposes it.</summary>
    public SshHostIdentity For(string target)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, _seed, 32, salt: [], info: Encoding.UTF8.GetBytes($"gatehouse proxyjump host key {target}"));
        try
        {
            return SshHostIdentity.FromEd25519Seed(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] LoadOrCreateSeed(string path, ILogger logger)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            using (var file = PrivateFiles.Create(temporary))
            {
                file.Write(RandomNumberGenerator.GetBytes(32));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                logger.LogInformation("Generated the seed of the targets' ProxyJump host keys in {File}", path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance sharing the folder wrote it first: use theirs, so all serve the same keys.
                File.Delete(temporary);
            }
        }

        PrivateFiles.RestrictToOwner(path);
        var seed = File.ReadAllBytes(path);
        return seed.Length == 32 ? seed : throw new InvalidOperationException($"{path} must hold 32 bytes");
    }
}
