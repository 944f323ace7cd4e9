using System.Net;

namespace Gatehouse.Ssh;

/// <summary>What is known about a client connection; handed to every hook.</summary>
public sealed class SshConnectionInfo
{
    internal SshConnectionInfo(IPEndPoint remoteEndPoint, IPEndPoint localEndPoint, string clientVersion, string sessionId)
    {
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        ClientVersion = clientVersion;
        SessionId = sessionId;
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The client's identification string, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2".</summary>
    public string ClientVersion { get; }

    /// <summary>Lower-case hex of the SSH session identifier (the first exchange hash).</summary>
    public string SessionId { get; }

    /// <summary>The user name the client authenticates as; null until it sends its first request.</summary>
    public string? UserName { get; internal set; }

    /// <summary>True once authentication has fully succeeded.</summary>
    public bool IsAuthenticated { get; internal set; }

    public override string ToString() => $"{UserName ?? "-"}@{RemoteEndPoint} ({ClientVersion})";
}
