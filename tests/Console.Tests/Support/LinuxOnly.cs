// The tests drive OpenSSH and the end-to-end stack, which run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
