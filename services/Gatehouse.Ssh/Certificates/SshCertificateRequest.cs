using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Certificates;

/// <summary>What a CA is asked to certify. Validity is given, never read from a clock here.</summary>
public sealed record SshCertificateRequest(
    OpenSshPublicKey PublicKey,
    SshCertificateType Type,
    ulong Serial,
    string KeyId,
    IReadOnlyList<string> Principals,
    DateTimeOffset ValidAfter,
    DateTimeOffset ValidBefore,
    IReadOnlyDictionary<string, string>? CriticalOptions = null,
    IReadOnlyDictionary<string, string>? Extensions = null);
