using System.Security.Cryptography;
using Gatehouse.Ssh.Ciphers;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.KeyExchange;

/// <summary>Derives the packet ciphers from the shared secret and exchange hash (RFC 4253 §7.2).</summary>
internal static class SessionKeys
{
    /// <param name="encodedSecret">K in its wire encoding (an mpint or, for the hybrid methods, a string), as it was hashed into H.</param>
    public static (PacketCipher Receive, PacketCipher Send) Derive(
        NegotiatedAlgorithms algorithms, HashAlgorithmName hash, byte[] encodedSecret, byte[] exchangeHash, byte[] sessionId)
    {
        byte[] Key(char letter, int size) => Expand(hash, encodedSecret, exchangeHash, letter, sessionId, size);

        var c2s = algorithms.CipherClientToServer;
        var s2c = algorithms.CipherServerToClient;
        var receive = CipherSuite.Create(c2s, algorithms.MacClientToServer,
            Key('C', CipherSuite.KeySize(c2s)), Key('A', CipherSuite.IvSize(c2s)), Key('E', CipherSuite.MacKeySize(algorithms.MacClientToServer)));
        var send = CipherSuite.Create(s2c, algorithms.MacServerToClient,
            Key('D', CipherSuite.KeySize(s2c)), Key('B', CipherSuite.IvSize(s2c)), Key('F', CipherSuite.MacKeySize(algorithms.MacServerToClient)));
        return (receive, send);
    }

    /// <summary>K1 = HASH(K || H || letter || session_id), Kn = HASH(K || H || K1 || ... || Kn-1), concatenated and cut to size.</summary>
    private static byte[] Expand(HashAlgorithmName algorithm, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> hash, char letter,
        ReadOnlySpan<byte> sessionId, int size)
    {
        if (size == 0) return [];
        using var sha = IncrementalHash.CreateHash(algorithm);
        sha.AppendData(secret);
        sha.AppendData(hash);
        sha.AppendData([(byte)letter]);
        sha.AppendData(sessionId);
        var key = sha.GetHashAndReset();
        while (key.Length < size)
        {
            sha.AppendData(secret);
            sha.AppendData(hash);
            sha.AppendData(key);
            key = [.. key, .. sha.GetHashAndReset()];
        }
        return key[..size];
    }
}
