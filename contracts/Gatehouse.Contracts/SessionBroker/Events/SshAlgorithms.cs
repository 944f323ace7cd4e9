namespace Gatehouse.Contracts;

/// <summary>What one SSH connection of a session negotiated, as its two ends agreed it.</summary>
/// <param name="KeyExchange">The key exchange method, e.g. <c>mlkem768x25519-sha256</c>.</param>
/// <param name="Cipher">The cipher from the client's end to the server's, then the other direction after " / " when they differ.</param>
/// <param name="HostKey">The server's host key algorithm, e.g. <c>ssh-ed25519</c>.</param>
public sealed record SshAlgorithms(string KeyExchange, string Cipher, string HostKey)
{
    /// <summary>
    /// The hybrid key exchange methods whose secret stays safe if a recording of the connection is decrypted later with
    /// a quantum computer ("harvest now, decrypt later"): a post-quantum KEM combined with an elliptic curve.
    /// </summary>
    public static readonly IReadOnlySet<string> PostQuantumKeyExchanges = new HashSet<string>(StringComparer.Ordinal)
    {
        "mlkem768x25519-sha256", "mlkem768nistp256-sha256", "mlkem1024nistp384-sha384",
        "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
    };

    public static string CipherOf(string clientToServer, string serverToClient) =>
        clientToServer == serverToClient ? clientToServer : $"{clientToServer} / {serverToClient}";

    public bool IsPostQuantum() => PostQuantumKeyExchanges.Contains(KeyExchange);
}
