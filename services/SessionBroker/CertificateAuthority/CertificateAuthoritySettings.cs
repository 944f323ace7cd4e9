using System.ComponentModel.DataAnnotations;
using Gatehouse.Ssh.Certificates;

namespace Gatehouse.SessionBroker.CertificateAuthority;

/// <summary>Gatehouse's own SSH CAs, from <c>Gatehouse:CertificateAuthority</c>.</summary>
public sealed class CertificateAuthoritySettings : IValidatableObject
{
    public const string Section = "Gatehouse:CertificateAuthority";

    /// <summary>The type of new CA keys: ssh-ed25519, ecdsa-sha2-nistp256 or ssh-rsa (3072 bits).</summary>
    public string KeyType { get; set; } = "ssh-ed25519";

    /// <summary>How long after a rotation the new key starts signing, unless the rotation says when: the time to add it to every target.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan RotationLead { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SshCertificateAuthority.KeyTypes.Contains(KeyType))
        {
            yield return new ValidationResult(
                $"{Section}:KeyType must be one of {string.Join(", ", SshCertificateAuthority.KeyTypes)}", [nameof(KeyType)]);
        }
    }
}
