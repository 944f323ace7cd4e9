using System.Security.Cryptography;
using Gatehouse.Ssh.Authentication;
using Gatehouse.Ssh.Ciphers;
using Gatehouse.Ssh.HostKeys;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.KeyExchange;

/// <summary>
/// Runs the server side of the initial key exchange and of every rekey, whichever side starts it,
/// including strict key exchange (OpenSSH PROTOCOL, "kex-strict") and the RFC 8308 EXT_INFO.
/// </summary>
/// <param name="beforeAgreement">Called before the costly computation of each exchange; throws to refuse it.</param>
internal sealed class KeyExchangeDriver(PacketTransport transport, HostKeyStore hostKeys, SshServerOptions options, string serverVersion,
    Action? beforeAgreement = null)
{
    private enum Stage
    {
        Idle,
        AwaitingEcdhInit,
        AwaitingNewKeys,
    }

    private Stage _stage;
    private byte[]? _clientKexInitPayload;
    private byte[]? _serverKexInitPayload;
    private NegotiatedAlgorithms? _negotiated;
    private PacketCipher? _pendingReceiveCipher;
    private bool _ignoreGuessedPacket;
    private long _lastKeyChange = Environment.TickCount64;
    private int _rekeyRequested;

    public string ClientVersion { get; set; } = "";

    public byte[]? SessionId { get; private set; }

    public bool InitialExchangeDone { get; private set; }

    public bool IsStrict { get; private set; }

    public bool ClientSupportsExtInfo { get; private set; }

    /// <summary>True from the client's KEXINIT to its NEWKEYS: only key exchange messages may arrive then.</summary>
    public bool ClientIsChangingKeys => _stage != Stage.Idle;

    /// <summary>What the latest key exchange agreed on.</summary>
    public NegotiatedAlgorithms? Algorithms { get; private set; }

    public bool IsKeyExchangeMessage(byte message) => message is (byte)SshMessage.KexInit or (byte)SshMessage.NewKeys or >= 30 and <= 49;

    /// <summary>True when the byte or time limit since the last key change has been reached.</summary>
    public bool RekeyDue =>
        InitialExchangeDone &&
        (transport.BytesSentSinceKeyChange >= options.RekeyAfterBytes ||
         transport.BytesReceivedSinceKeyChange >= options.RekeyAfterBytes ||
         Environment.TickCount64 - _lastKeyChange >= (long)options.RekeyAfterTime.TotalMilliseconds);

    /// <summary>Sends our KEXINIT unless a key exchange is already under way.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (InitialExchangeDone && Interlocked.Exchange(ref _rekeyRequested, 1) == 1) return;
        await transport.WithSendLockAsync(sender =>
        {
            if (transport.IsSendingKeyChange || _stage != Stage.Idle && InitialExchangeDone) return ValueTask.CompletedTask;
            return SendKexInitLockedAsync(sender);
        }, cancellationToken);
    }

    private ValueTask SendKexInitLockedAsync(PacketTransport.KeyChangeSender sender)
    {
        var kex = options.KeyExchangeAlgorithms.ToList();
        if (!InitialExchangeDone)
        {
            kex.Add(KexInit.ExtInfoServer);
            kex.Add(KexInit.StrictKexServer);
        }
        var ciphers = options.Ciphers.ToArray();
        var macs = options.Macs.ToArray();
        var ours = new KexInit([.. kex], (hostKeys.Offered ?? options.HostKeyAlgorithms.ToList()).ToArray(), ciphers, ciphers, macs, macs, ["none"], ["none"], false);
        _serverKexInitPayload = ours.Encode();
        sender.BeginKeyChange();
        return sender.SendAsync(_serverKexInitPayload);
    }

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        switch ((SshMessage)payload.Span[0])
        {
            case SshMessage.KexInit:
                await OnClientKexInitAsync(payload, cancellationToken);
                break;
            case SshMessage.KexEcdhInit:
                await OnEcdhInitAsync(payload, cancellationToken);
                break;
            case SshMessage.NewKeys:
                OnNewKeys(payload.Span);
                break;
            default:
                if (_ignoreGuessedPacket && _stage == Stage.AwaitingEcdhInit)
                {
                    _ignoreGuessedPacket = false;
                    break;
                }
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"unexpected key exchange message {payload.Span[0]}");
        }
    }

    private async ValueTask OnClientKexInitAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (_stage != Stage.Idle) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "KEXINIT during key exchange");
        var client = KexInit.Parse(payload.Span);
        if (!InitialExchangeDone)
        {
            IsStrict = client.KeyExchange.Contains(KexInit.StrictKexClient);
            // With strict KEX the client's KEXINIT must be its very first packet (Terrapin).
            if (IsStrict && transport.LastReceivedSequence != 0) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "strict KEX: KEXINIT was not the first packet");
            transport.ForbidSequenceWrap = IsStrict;
            ClientSupportsExtInfo = client.KeyExchange.Contains(KexInit.ExtInfoClient);
        }
        _clientKexInitPayload = payload.ToArray();
        await transport.WithSendLockAsync(sender =>
            transport.IsSendingKeyChange ? ValueTask.CompletedTask : SendKexInitLockedAsync(sender), cancellationToken);
        var server = KexInit.Parse(_serverKexInitPayload);
        _negotiated = NegotiatedAlgorithms.Negotiate(client, server);
        _ignoreGuessedPacket = _negotiated.GuessWasWrong;
        _stage = Stage.AwaitingEcdhInit;
    }

    private async ValueTask OnEcdhInitAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (_stage != Stage.AwaitingEcdhInit) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "unexpected KEX_ECDH_INIT");
        if (_ignoreGuessedPacket)
        {
            _ignoreGuessedPacket = false;
            return;
        }
        var negotiated = _negotiated!;
        byte[] clientInit;
        {
            var reader = new SshReader(payload.Span[1..]);
            clientInit = reader.ReadBinary().ToArray();
            reader.ExpectEnd();
        }
        beforeAgreement?.Invoke();
        var agreement = KeyAgreement.Create(negotiated.KeyExchange);
        var (serverReply, sharedSecret) = agreement.Agree(clientInit);
        var hostKey = hostKeys.ForAlgorithm(negotiated.HostKey)
            ?? throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "no host key for negotiated algorithm");

        var exchangeHash = ExchangeHash(agreement.Hash, ClientVersion, serverVersion, _clientKexInitPayload!, _serverKexInitPayload!,
            hostKey.PublicKeyBlob, clientInit, serverReply, sharedSecret);
        SessionId ??= exchangeHash;
        var firstExchange = !InitialExchangeDone;
        var (receive, send) = SessionKeys.Derive(negotiated, agreement.Hash, sharedSecret, exchangeHash, SessionId);
        CryptographicOperations.ZeroMemory(sharedSecret);

        using var reply = new SshWriter(SshMessage.KexEcdhReply, 2048);
        reply.WriteBinary(hostKey.PublicKeyBlob);
        reply.WriteBinary(serverReply);
        reply.WriteBinary(hostKey.Sign(negotiated.HostKey, exchangeHash));

        await transport.WithSendLockAsync(async sender =>
        {
            await sender.SendAsync(reply.WrittenSpan);
            await sender.SendAsync([(byte)SshMessage.NewKeys]);
            sender.ChangeSendCipher(send, IsStrict);
            if (firstExchange && ClientSupportsExtInfo) await sender.SendAsync(ExtInfo());
            await sender.EndKeyChangeAsync();
        }, cancellationToken);

        _pendingReceiveCipher = receive;
        Algorithms = negotiated;
        _stage = Stage.AwaitingNewKeys;
    }

    /// <summary>
    /// H = HASH(V_C || V_S || I_C || I_S || K_S || client value || server value || K) (RFC 4253 §8, RFC 5656 §4). K comes
    /// already encoded: an mpint for ECDH, a string for the hybrid methods.
    /// </summary>
    internal static byte[] ExchangeHash(HashAlgorithmName hash, string clientVersion, string serverVersion, byte[] clientKexInit,
        byte[] serverKexInit, byte[] hostKeyBlob, byte[] clientValue, byte[] serverValue, byte[] encodedSecret)
    {
        using var hashInput = new SshWriter(4096);
        hashInput.WriteString(clientVersion);
        hashInput.WriteString(serverVersion);
        hashInput.WriteBinary(clientKexInit);
        hashInput.WriteBinary(serverKexInit);
        hashInput.WriteBinary(hostKeyBlob);
        hashInput.WriteBinary(clientValue);
        hashInput.WriteBinary(serverValue);
        hashInput.WriteRaw(encodedSecret);
        return CryptographicOperations.HashData(hash, hashInput.WrittenSpan);
    }

    private static byte[] ExtInfo()
    {
        using var writer = new SshWriter(SshMessage.ExtInfo);
        writer.WriteUInt32(1);
        writer.WriteString("server-sig-algs");
        writer.WriteNameList(UserKeySignature.Algorithms);
        return writer.ToArray();
    }

    private void OnNewKeys(ReadOnlySpan<byte> payload)
    {
        if (_stage != Stage.AwaitingNewKeys || payload.Length != 1) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "unexpected NEWKEYS");
        transport.ChangeReceiveCipher(_pendingReceiveCipher!, IsStrict);
        _pendingReceiveCipher = null;
        _clientKexInitPayload = null;
        _stage = Stage.Idle;
        _lastKeyChange = Environment.TickCount64;
        if (!InitialExchangeDone)
        {
            InitialExchangeDone = true;
            transport.ForbidSequenceWrap = false;
        }
        Interlocked.Exchange(ref _rekeyRequested, 0);
    }
}
