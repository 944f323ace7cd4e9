using System.Security.Cryptography;
using Gatehouse.Vocabulary;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh.HostKeys;

/// <summary>
/// Loads the server's host keys from a directory, generating any that are missing on first start.
/// Private key files are PKCS#8 PEM readable by the owner only.
/// </summary>
internal sealed class HostKeyStore : IDisposable
{
    private readonly List<HostKey> _keys = [];

    private HostKeyStore()
    {
    }

    public IReadOnlyList<HostKey> Keys => _keys;

    /// <summary>
    /// The host key algorithms this store offers in key exchange, in order, when it is not the server's own store (whose
    /// offer is <see cref="SshServerOptions.HostKeyAlgorithms"/>); null for the server's own.
    /// </summary>
    public IReadOnlyList<string>? Offered { get; private init; }

    /// <summary>A store of the given keys, offering exactly their algorithms (a connection served over a stream).</summary>
    public static HostKeyStore Of(IReadOnlyList<HostKey> keys)
    {
        var store = new HostKeyStore { Offered = keys.SelectMany(k => k.SignatureAlgorithms).ToList() };
        store._keys.AddRange(keys);
        return store;
    }


    public static HostKeyStore LoadOrCreate(string directory, ILogger logger)
    {
        PrivateFiles.CreateDirectory(directory);

        var store = new HostKeyStore();
        store._keys.Add(Load(directory, "ssh_host_ed25519_key", Ed25519HostKey.Generate, der => Ed25519HostKey.FromPkcs8(der), logger));
        store._keys.Add(Load(directory, "ssh_host_ecdsa_key", EcdsaHostKey.Generate, der =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(der, out _);
            return new EcdsaHostKey(ecdsa);
        }, logger));
        store._keys.Add(Load(directory, "ssh_host_rsa_key", RsaHostKey.Generate, der =>
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(der, out _);
            return new RsaHostKey(rsa);
        }, logger));
        return store;
    }

    public HostKey? ForAlgorithm(string algorithm) => _keys.FirstOrDefault(k => k.SignatureAlgorithms.Contains(algorithm));

    private static HostKey Load(string directory, string fileName, Func<HostKey> generate, Func<byte[], HostKey> import, ILogger logger)
    {
        var path = Path.Combine(directory, fileName);
        if (File.Exists(path)) return Import(path, import, logger);

        var key = generate();
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var writer = new StreamWriter(PrivateFiles.Create(temporary)))
        {
            writer.Write(key.ExportPem());
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance sharing the directory won the race; use its key so all instances agree.
            File.Delete(temporary);
            key.Dispose();
            return Import(path, import, logger);
        }
        logger.LogInformation("Generated SSH host key {File}", path);
        logger.LogInformation("SSH host key {KeyType} {Fingerprint}", key.KeyType, key.Fingerprint);
        return key;
    }

    private static HostKey Import(string path, Func<byte[], HostKey> import, ILogger logger)
    {
        if (PrivateFiles.RestrictToOwner(path))
        {
            logger.LogWarning("SSH host key {File} was readable by others; restricted it to its owner", path);
        }
        var text = File.ReadAllText(path);
        var pem = PemEncoding.Find(text);
        var key = import(Convert.FromBase64String(text[pem.Base64Data]));
        logger.LogInformation("SSH host key {KeyType} {Fingerprint}", key.KeyType, key.Fingerprint);
        return key;
    }

    public void Dispose()
    {
        foreach (var key in _keys) key.Dispose();
    }
}
