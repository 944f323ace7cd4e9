using System.Net;

namespace Gatehouse.Ssh;

/// <summary>What is known about a client connection; handed to every hook.</summary>
public sealed class SshConnectionInfo
{
    internal SshConnectionInfo(IPEndPoint remoteEndPoint, IPEndPoint localEndPoint, string clientVersion, string sessionId,
        KeyExchange.NegotiatedAlgorithms algorithms)
    {
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        ClientVersion = clientVersion;
        SessionId = sessionId;
        KeyExchange = algorithms.KeyExchange;
        HostKeyAlgorithm = algorithms.HostKey;
        CipherClientToServer = algorithms.CipherClientToServer;
        CipherServerToClient = algorithms.CipherServerToClient;
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The client's identification string, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2".</summary>
    public string ClientVersion { get; }

    /// <summary>Lower-case hex of the SSH session identifier (the first exchange hash).</summary>
    public string SessionId { get; }

    /// <summary>The key exchange method the initial key exchange used, e.g. "mlkem768x25519-sha256".</summary>
    public string KeyExchange { get; }

    /// <summary>The host key algorithm the gateway proved itself with, e.g. "ssh-ed25519".</summary>
    public string HostKeyAlgorithm { get; }

    public string CipherClientToServer { get; }

    public string CipherServerToClient { get; }

    /// <summary>The user name the client authenticates as; null until it sends its first request.</summary>
    public string? UserName { get; internal set; }

    /// <summary>True once authentication has fully succeeded.</summary>
    public bool IsAuthenticated { get; internal set; }

    public override string ToString() => $"{UserName ?? "-"}@{RemoteEndPoint} ({ClientVersion})";
}
