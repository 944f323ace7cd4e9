namespace Gatehouse.Ssh.Certificates;

/// <summary>The certificate's role, as PROTOCOL.certkeys numbers it.</summary>
public enum SshCertificateType : uint
{
    User = 1,
    Host = 2,
}
