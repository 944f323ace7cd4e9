namespace Gatehouse.Ssh.HostKeys;

/// <summary>
/// A host key presented with an OpenSSH host certificate for it (PROTOCOL.certkeys): the client is shown the certificate
/// instead of the bare key and checks it against its <c>@cert-authority</c> lines; the signature over the exchange hash
/// is still the plain key's (an "ssh-ed25519" signature blob for "ssh-ed25519-cert-v01@openssh.com").
/// </summary>
internal sealed class CertifiedHostKey(HostKey key, string certificateType, byte[] certificate) : HostKey
{
    public override string KeyType => certificateType;

    public override IReadOnlyList<string> SignatureAlgorithms { get; } = [certificateType];

    public override byte[] PublicKeyBlob => certificate;

    public override byte[] Sign(string algorithm, ReadOnlySpan<byte> data) => key.Sign(key.SignatureAlgorithms[0], data);

    public override string ExportPem() => key.ExportPem();

    public static string CertificateTypeOf(string keyType) => keyType switch
    {
        Ed25519HostKey.Algorithm => "ssh-ed25519-cert-v01@openssh.com",
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "only ed25519 host keys are certified"),
    };
}
