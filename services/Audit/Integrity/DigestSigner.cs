using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.Vocabulary;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Gatehouse.Audit.Integrity;

/// <summary>Signs and checks digests with the configured Ed25519 key.</summary>
public sealed class DigestSigner
{
    private readonly Ed25519PrivateKeyParameters _privateKey;

    public DigestSigner(IOptions<AuditSettings> options, StatePaths state)
    {
        _privateKey = new Ed25519PrivateKeyParameters(LoadKey(options.Value.Integrity, state));
        PublicKey = Convert.ToBase64String(_privateKey.GeneratePublicKey().GetEncoded());
    }

    /// <summary>Base64 of the public key, which verifiers (and anyone holding an exported digest) check signatures with.</summary>
    public string PublicKey { get; }

    public string Sign(byte[] digest)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        signer.BlockUpdate(digest, 0, digest.Length);
        return Convert.ToBase64String(signer.GenerateSignature());
    }

    public static bool Verify(string publicKey, byte[] digest, string signature)
    {
        try
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(Convert.FromBase64String(publicKey)));
            verifier.BlockUpdate(digest, 0, digest.Length);
            return verifier.VerifySignature(Convert.FromBase64String(signature));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static byte[] LoadKey(IntegritySettings settings, StatePaths state)
    {
        if (!string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            return Decode(settings.SigningKey, "Gatehouse:Audit:Integrity:SigningKey");
        }

        var file = state.Resolve(settings.SigningKeyFile ?? Path.Combine("audit", "digest-signing.key"));
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Ed25519PrivateKeyParameters.KeySize);
            try
            {
                using var writer = new StreamWriter(PrivateFiles.Create(file));
                writer.Write(Convert.ToBase64String(seed));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another instance sharing the state folder wrote it first; every instance must sign with the same key.
            }
        }

        return Decode(File.ReadAllText(file).Trim(), file);
    }

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            if (key.Length == Ed25519PrivateKeyParameters.KeySize)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException($"The digest signing key in {source} is not base64 of a 32-byte Ed25519 key.");
    }
}
