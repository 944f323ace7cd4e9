using Gatehouse.Contracts;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>
/// What a target's SSH server offered, read from SSH.NET's own connection: SSH.NET keeps the server's KEXINIT to itself
/// (its event is internal) but hands it to the key exchange it picked (<see cref="IKeyExchange.Start"/>), so every key
/// exchange of the connection is wrapped in one that notes the message and passes everything through. No second
/// connection to the target is needed; the version line is SSH.NET's <c>ConnectionInfo.ServerVersion</c>.
/// </summary>
public sealed class ServerOffer
{
    private readonly Renci.SshNet.ConnectionInfo _info;
    private volatile KeyExchangeInitMessage? _kexInit;

    private ServerOffer(Renci.SshNet.ConnectionInfo info) => _info = info;

    /// <summary>Wraps each key exchange <paramref name="info"/> offers, so the server's KEXINIT is noted when one starts.</summary>
    public static ServerOffer Observe(Renci.SshNet.ConnectionInfo info)
    {
        var offer = new ServerOffer(info);
        foreach (var name in info.KeyExchangeAlgorithms.Keys.ToList())
        {
            var create = info.KeyExchangeAlgorithms[name];
            info.KeyExchangeAlgorithms[name] = () => new Noting(create(), offer);
        }

        return offer;
    }

    /// <summary>What the server told, once its KEXINIT arrived; null before (or if the connection failed earlier).</summary>
    public TargetSshServer? Server => _kexInit is { } kex && _info.ServerVersion is { } version ? Of(version, kex) : null;

    public static TargetSshServer Of(string version, KeyExchangeInitMessage kex)
    {
        string[] Names(string[]? names) => names ?? [];
        var kexNames = Names(kex.KeyExchangeAlgorithms);
        return new TargetSshServer(
            version.Trim(),
            kexNames.Where(n => !IsMarker(n)).ToArray(),
            Names(kex.EncryptionAlgorithmsServerToClient).Union(Names(kex.EncryptionAlgorithmsClientToServer)).ToArray(),
            Names(kex.MacAlgorithmsServerToClient).Union(Names(kex.MacAlgorithmsClientToServer)).ToArray(),
            Names(kex.ServerHostKeyAlgorithms),
            kexNames.Contains("kex-strict-s-v00@openssh.com"));
    }

    private static bool IsMarker(string name) =>
        name is "kex-strict-s-v00@openssh.com" or "kex-strict-c-v00@openssh.com" or "ext-info-s" or "ext-info-c"
        || name.StartsWith("ext-info-", StringComparison.Ordinal);

    /// <summary>A key exchange that notes the server's KEXINIT and otherwise is the one SSH.NET chose.</summary>
    private sealed class Noting(IKeyExchange inner, ServerOffer offer) : IKeyExchange
    {
        public event EventHandler<HostKeyEventArgs>? HostKeyReceived
        {
            add => inner.HostKeyReceived += value;
            remove => inner.HostKeyReceived -= value;
        }

        public string Name => inner.Name;

        public byte[] ExchangeHash => inner.ExchangeHash;

        public void Start(Renci.SshNet.Session session, KeyExchangeInitMessage message, bool sendClientInitMessage)
        {
            offer._kexInit ??= message;
            inner.Start(session, message, sendClientInitMessage);
        }

        public void Finish() => inner.Finish();

        public Cipher CreateClientCipher(out bool isAead) => inner.CreateClientCipher(out isAead);

        public Cipher CreateServerCipher(out bool isAead) => inner.CreateServerCipher(out isAead);

        public System.Security.Cryptography.HashAlgorithm CreateServerHash(out bool isEncryptThenMAC) => inner.CreateServerHash(out isEncryptThenMAC);

        public System.Security.Cryptography.HashAlgorithm CreateClientHash(out bool isEncryptThenMAC) => inner.CreateClientHash(out isEncryptThenMAC);

        public Renci.SshNet.Compression.Compressor CreateCompressor() => inner.CreateCompressor();

        public Renci.SshNet.Compression.Compressor CreateDecompressor() => inner.CreateDecompressor();

        public void Dispose() => inner.Dispose();
    }
}
