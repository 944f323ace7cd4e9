// The tests drive OpenSSH's ssh, scp, sftp and sshd on this machine.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
