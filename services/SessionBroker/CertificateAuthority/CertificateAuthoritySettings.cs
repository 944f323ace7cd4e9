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

    /// <summary>How long before the connection a session's user certificate is valid: room for a target's clock running behind.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan UserCertificateValidBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after the connection a session's user certificate stays valid; it is only needed to sign in.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan UserCertificateLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The gateway's addresses as targets see them (CIDR list, e.g. 10.0.0.5/32): when set, user certificates carry them
    /// as source-address, so a certificate copied off the gateway is useless elsewhere.
    /// </summary>
    public List<string> SourceAddresses { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SshCertificateAuthority.KeyTypes.Contains(KeyType))
        {
            yield return new ValidationResult(
                $"{Section}:KeyType must be one of {string.Join(", ", SshCertificateAuthority.KeyTypes)}", [nameof(KeyType)]);
        }

        foreach (var address in SourceAddresses)
        {
            if (!System.Net.IPNetwork.TryParse(address, out _) && !System.Net.IPAddress.TryParse(address, out _))
            {
                yield return new ValidationResult($"{Section}:SourceAddresses: '{address}' is not an address or CIDR block", [nameof(SourceAddresses)]);
            }
        }
    }
}
