// The tests drive OpenSSH, ptys and sftp-server on this machine.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
