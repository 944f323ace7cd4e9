using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.KeyExchange;

/// <summary>The algorithm lists of one side's SSH_MSG_KEXINIT (RFC 4253 §7.1).</summary>
internal sealed record KexInit(
    string[] KeyExchange,
    string[] HostKey,
    string[] CipherClientToServer,
    string[] CipherServerToClient,
    string[] MacClientToServer,
    string[] MacServerToClient,
    string[] CompressionClientToServer,
    string[] CompressionServerToClient,
    bool FirstKexPacketFollows)
{
    public const string StrictKexClient = "kex-strict-c-v00@openssh.com";
    public const string StrictKexServer = "kex-strict-s-v00@openssh.com";
    public const string ExtInfoClient = "ext-info-c";
    public const string ExtInfoServer = "ext-info-s";

    public static KexInit Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new SshReader(payload);
        if (reader.ReadByte() != (byte)SshMessage.KexInit) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "expected KEXINIT");
        if (reader.Remaining < 16) throw SshProtocolException.Truncated();
        reader.ReadUInt32(); reader.ReadUInt32(); reader.ReadUInt32(); reader.ReadUInt32(); // cookie
        var kex = new KexInit(
            reader.ReadNameList(), reader.ReadNameList(), reader.ReadNameList(), reader.ReadNameList(),
            reader.ReadNameList(), reader.ReadNameList(), reader.ReadNameList(), reader.ReadNameList(),
            false);
        reader.ReadNameList();
        reader.ReadNameList();
        var follows = reader.ReadBoolean();
        reader.ReadUInt32();
        return kex with { FirstKexPacketFollows = follows };
    }

    public byte[] Encode()
    {
        using var writer = new SshWriter(SshMessage.KexInit, 1024);
        Span<byte> cookie = stackalloc byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(cookie);
        writer.WriteRaw(cookie);
        foreach (var list in new[] { KeyExchange, HostKey, CipherClientToServer, CipherServerToClient, MacClientToServer, MacServerToClient, CompressionClientToServer, CompressionServerToClient })
        {
            writer.WriteNameList(list);
        }
        writer.WriteNameList([]);
        writer.WriteNameList([]);
        writer.WriteBoolean(FirstKexPacketFollows);
        writer.WriteUInt32(0);
        return writer.ToArray();
    }
}

/// <summary>What both sides agreed on for one key exchange.</summary>
internal sealed record NegotiatedAlgorithms(
    string KeyExchange,
    string HostKey,
    string CipherClientToServer,
    string CipherServerToClient,
    string? MacClientToServer,
    string? MacServerToClient,
    bool GuessWasWrong)
{
    /// <summary>Picks, for each list, the first client algorithm the server also supports (RFC 4253 §7.1).</summary>
    public static NegotiatedAlgorithms Negotiate(KexInit client, KexInit server)
    {
        var kex = First(client.KeyExchange, server.KeyExchange, "key exchange");
        var hostKey = First(client.HostKey, server.HostKey, "host key");
        var c2s = First(client.CipherClientToServer, server.CipherClientToServer, "cipher");
        var s2c = First(client.CipherServerToClient, server.CipherServerToClient, "cipher");
        var macC2s = Ciphers.CipherSuite.HasImplicitMac(c2s) ? null : First(client.MacClientToServer, server.MacClientToServer, "MAC");
        var macS2c = Ciphers.CipherSuite.HasImplicitMac(s2c) ? null : First(client.MacServerToClient, server.MacServerToClient, "MAC");
        First(client.CompressionClientToServer, server.CompressionClientToServer, "compression");
        First(client.CompressionServerToClient, server.CompressionServerToClient, "compression");
        var guessWrong = client.FirstKexPacketFollows &&
            (client.KeyExchange.FirstOrDefault() != kex || client.HostKey.FirstOrDefault() != hostKey);
        return new NegotiatedAlgorithms(kex, hostKey, c2s, s2c, macC2s, macS2c, guessWrong);
    }

    private static string First(string[] client, string[] server, string what)
    {
        foreach (var name in client)
        {
            if (Array.IndexOf(server, name) >= 0 && !IsMarker(name)) return name;
        }
        throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"no common {what} algorithm");
    }

    private static bool IsMarker(string name) =>
        name is KexInit.StrictKexClient or KexInit.StrictKexServer or KexInit.ExtInfoClient or KexInit.ExtInfoServer;
}
