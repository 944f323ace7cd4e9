using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Ssh.Ciphers;
using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Transport;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>
/// A deliberately minimal SSH client that can misbehave: it completes a real key exchange and then
/// lets a test send whatever it likes, including raw bytes that bypass the packet layer.
/// </summary>
internal sealed class RawSshClient : IAsyncDisposable
{
    private const string ClientVersion = "SSH-2.0-GatehouseHostileTest";

    private RawSshClient(Socket socket)
    {
        Socket = socket;
        Transport = new PacketTransport(new NetworkStream(socket), 512 * 1024, 300 * 1024);
    }

    public Socket Socket { get; }

    public PacketTransport Transport { get; }

    public string ServerVersion { get; private set; } = "";

    public byte[] SessionId { get; private set; } = [];

    /// <summary>A second copy of the client-to-server cipher, for forging packets by hand.</summary>
    public PacketCipher? ForgingCipher { get; private set; }

    public static async Task<RawSshClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawSshClient(socket);
    }

    /// <summary>Speaks SSH over a socket the caller connected (for example from a chosen source address).</summary>
    public static RawSshClient Wrap(Socket socket) => new(socket);

    public static async Task<RawSshClient> ConnectWithKeysAsync(int port, string cipher = "chacha20-poly1305@openssh.com")
    {
        var client = await ConnectAsync(port);
        await client.ExchangeVersionsAsync();
        await client.ExchangeKeysAsync(cipher);
        return client;
    }

    public async Task ExchangeVersionsAsync()
    {
        await SendRawAsync(Encoding.ASCII.GetBytes(ClientVersion + "\r\n"));
        ServerVersion = await Transport.ReadVersionAsync(Timeout());
    }

    /// <summary>Runs a key exchange; for a rekey pass the server's KEXINIT if it was already received.</summary>
    public async Task ExchangeKeysAsync(string cipher, byte[]? serverKexInitPayload = null, bool announceExtInfo = false,
        string method = KeyAgreement.Curve25519)
    {
        var (ours, clientKexInitPayload) = await SendKexInitAsync(method, cipher, announceExtInfo);
        serverKexInitPayload ??= (await ReceiveAsync()).ToArray();
        var client = new KeyExchangeClient(method);
        var clientPublic = client.Init;
        using (var init = new SshWriter(SshMessage.KexEcdhInit))
        {
            init.WriteBinary(clientPublic);
            await SendAsync(init.ToArray());
        }

        var reply = (await ReceiveAsync()).ToArray();
        byte[] hostKey, serverPublic;
        {
            var reader = new SshReader(reply.AsSpan(1));
            hostKey = reader.ReadBinary().ToArray();
            serverPublic = reader.ReadBinary().ToArray();
        }
        var secret = client.EncodedSecret(serverPublic);
        using var hashInput = new SshWriter(4096);
        hashInput.WriteString(ClientVersion);
        hashInput.WriteString(ServerVersion);
        hashInput.WriteBinary(clientKexInitPayload);
        hashInput.WriteBinary(serverKexInitPayload);
        hashInput.WriteBinary(hostKey);
        hashInput.WriteBinary(clientPublic);
        hashInput.WriteBinary(serverPublic);
        hashInput.WriteRaw(secret);
        var exchangeHash = CryptographicOperations.HashData(client.Hash, hashInput.WrittenSpan);
        if (SessionId.Length == 0) SessionId = exchangeHash;
        NegotiatedKeyExchange = method;

        var negotiated = NegotiatedAlgorithms.Negotiate(ours, KexInit.Parse(serverKexInitPayload));
        // The server's receive cipher is our send cipher, and the other way round.
        var (clientToServer, serverToClient) = SessionKeys.Derive(negotiated, client.Hash, secret, exchangeHash, SessionId);
        ForgingCipher = SessionKeys.Derive(negotiated, client.Hash, secret, exchangeHash, SessionId).Receive;

        await ExpectAsync(SshMessage.NewKeys);
        Transport.ChangeReceiveCipher(serverToClient, resetSequence: true);
        await Transport.WithSendLockAsync(async sender =>
        {
            await sender.SendAsync([(byte)SshMessage.NewKeys]);
            sender.ChangeSendCipher(clientToServer, resetSequence: true);
        }, Timeout());
    }

    /// <summary>Sends a KEXINIT that offers only <paramref name="method"/> (with strict KEX).</summary>
    public async Task<(KexInit Ours, byte[] Payload)> SendKexInitAsync(string method, string cipher = "chacha20-poly1305@openssh.com",
        bool announceExtInfo = false)
    {
        var mac = CipherSuite.HasImplicitMac(cipher) ? "hmac-sha2-256-etm@openssh.com" : "hmac-sha2-512-etm@openssh.com";
        string[] kex = announceExtInfo ? [method, KexInit.ExtInfoClient, KexInit.StrictKexClient] : [method, KexInit.StrictKexClient];
        var ours = new KexInit(kex, ["ssh-ed25519"], [cipher], [cipher], [mac], [mac], ["none"], ["none"], false);
        var payload = ours.Encode();
        await SendAsync(payload);
        return (ours, payload);
    }

    /// <summary>The method of the last key exchange this client completed.</summary>
    public string? NegotiatedKeyExchange { get; private set; }

    public async Task<byte> AuthenticateWithPasswordAsync(string user, string password)
    {
        await RequestAuthenticationServiceAsync();
        return await RetryPasswordAsync(user, password);
    }

    public async Task RequestAuthenticationServiceAsync()
    {
        using var service = new SshWriter(SshMessage.ServiceRequest);
        service.WriteString("ssh-userauth");
        await SendAsync(service.ToArray());
        await ExpectAsync(SshMessage.ServiceAccept);
    }

    public async Task<byte> RetryPasswordAsync(string user, string password, bool expectReply = true)
    {
        using var request = UserauthRequest(user, "password");
        request.WriteBoolean(false);
        request.WriteString(password);
        await SendAsync(request.ToArray());
        return expectReply ? await ReceiveAuthenticationReplyAsync() : (byte)0;
    }

    public async Task<byte> QueryPublicKeyAsync(string user, string algorithm, byte[] keyBlob)
    {
        using var request = UserauthRequest(user, "publickey");
        request.WriteBoolean(false);
        request.WriteString(algorithm);
        request.WriteBinary(keyBlob);
        await SendAsync(request.ToArray());
        return await ReceiveAuthenticationReplyAsync();
    }

    public async Task<byte> SignWithBogusSignatureAsync(string user, string algorithm, byte[] keyBlob)
    {
        using var request = UserauthRequest(user, "publickey");
        request.WriteBoolean(true);
        request.WriteString(algorithm);
        request.WriteBinary(keyBlob);
        using var signature = new SshWriter();
        signature.WriteString(algorithm);
        signature.WriteBinary(new byte[64]);
        request.WriteBinary(signature.WrittenSpan);
        await SendAsync(request.ToArray());
        return await ReceiveAuthenticationReplyAsync();
    }

    private async Task<byte> ReceiveAuthenticationReplyAsync()
    {
        while (true)
        {
            var message = (await ReceiveAsync()).Span[0];
            if (message != (byte)SshMessage.UserauthBanner) return message;
        }
    }

    private static SshWriter UserauthRequest(string user, string method)
    {
        var request = new SshWriter(SshMessage.UserauthRequest);
        request.WriteString(user);
        request.WriteString("ssh-connection");
        request.WriteString(method);
        return request;
    }

    /// <summary>Reads the server's version line, then waits for it to hang up.</summary>
    public async Task<SshDisconnectReason?> WaitForDisconnectAfterBannerAsync(TimeSpan? within = null)
    {
        ServerVersion = await Transport.ReadVersionAsync(Timeout());
        return await WaitForDisconnectAsync(within);
    }

    /// <summary>Opens a session channel; returns the server's channel id.</summary>
    public async Task<uint> OpenSessionAsync(uint window = 1024 * 1024)
    {
        using var open = new SshWriter(SshMessage.ChannelOpen);
        open.WriteString("session");
        open.WriteUInt32(0);
        open.WriteUInt32(window);
        open.WriteUInt32(32 * 1024);
        await SendAsync(open.ToArray());
        var confirmation = await ExpectAsync(SshMessage.ChannelOpenConfirmation);
        var reader = new SshReader(confirmation.AsSpan(1));
        reader.ReadUInt32();
        return reader.ReadUInt32();
    }

    public async Task<byte[]> ExpectAsync(SshMessage message)
    {
        while (true)
        {
            var payload = (await ReceiveAsync()).ToArray();
            if (payload[0] == (byte)message) return payload;
            if (payload[0] is (byte)SshMessage.Ignore or (byte)SshMessage.Debug or (byte)SshMessage.ExtInfo or (byte)SshMessage.UserauthBanner) continue;
            if (payload[0] != (byte)message) throw new InvalidOperationException($"expected message {message}, got {payload[0]}");
            return payload;
        }
    }

    public ValueTask SendAsync(byte[] payload) => Transport.SendAsync(payload, Timeout());

    public async Task SendRawAsync(byte[] bytes) => await Socket.SendAsync(bytes, SocketFlags.None);

    public async Task<ReadOnlyMemory<byte>> ReceiveAsync() => await Transport.ReadPacketAsync(Timeout());

    /// <summary>
    /// Reads until the server hangs up. Returns the reason of its DISCONNECT message if one came first,
    /// or null when it just closed the socket.
    /// </summary>
    public async Task<SshDisconnectReason?> WaitForDisconnectAsync(TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var payload = await Transport.ReadPacketAsync(deadline.Token);
                if (payload.Span[0] == (byte)SshMessage.Disconnect)
                {
                    return (SshDisconnectReason)new SshReader(payload.Span[1..]).ReadUInt32();
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or SocketException or SshProtocolException or IOException)
        {
            return null;
        }
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        Transport.Dispose();
        return ValueTask.CompletedTask;
    }
}
