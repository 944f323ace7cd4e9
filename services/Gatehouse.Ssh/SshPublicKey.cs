using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh;

/// <summary>A user's public key whose signature the server has verified.</summary>
public sealed class SshPublicKey
{
    internal SshPublicKey(string keyType, byte[] blob, SshCertificate? certificate = null)
    {
        KeyType = keyType;
        Blob = blob;
        Certificate = certificate;
        Fingerprint = OpenSshPublicKey.FingerprintOf(blob);
    }

    /// <summary>
    /// The OpenSSH certificate the client signed in with, when it used one: the signature proves the certified key, while
    /// whether a CA vouches for it (trust, validity, principals, options, revocation) is the handler's to decide.
    /// </summary>
    public SshCertificate? Certificate { get; }

    /// <summary>The key type, e.g. "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", "ssh-ed25519-cert-v01@openssh.com".</summary>
    public string KeyType { get; }

    /// <summary>The SSH wire encoding of the public key (what authorized_keys holds in base64).</summary>
    public ReadOnlyMemory<byte> Blob { get; }

    /// <summary>"SHA256:" and the unpadded base64 of the SHA-256 of the blob, as ssh-keygen -l prints it.</summary>
    public string Fingerprint { get; }

    /// <summary>The authorized_keys form "type base64".</summary>
    public string ToOpenSshFormat() => new OpenSshPublicKey(KeyType, Blob.ToArray()).Line;

    public override string ToString() => $"{KeyType} {Fingerprint}";
}
