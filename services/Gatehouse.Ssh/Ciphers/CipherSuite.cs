using System.Security.Cryptography;

namespace Gatehouse.Ssh.Ciphers;

/// <summary>The encryption and MAC algorithms this server negotiates, strongest first.</summary>
internal static class CipherSuite
{
    public const string ChaCha20Poly1305 = "chacha20-poly1305@openssh.com";
    public const string Aes256Gcm = "aes256-gcm@openssh.com";
    public const string Aes128Gcm = "aes128-gcm@openssh.com";
    public const string Aes256Ctr = "aes256-ctr";
    public const string Aes128Ctr = "aes128-ctr";
    public const string HmacSha256Etm = "hmac-sha2-256-etm@openssh.com";
    public const string HmacSha512Etm = "hmac-sha2-512-etm@openssh.com";

    public static readonly string[] Ciphers = [ChaCha20Poly1305, Aes256Gcm, Aes128Gcm, Aes256Ctr, Aes128Ctr];

    public static readonly string[] Macs = [HmacSha256Etm, HmacSha512Etm];

    public static bool HasImplicitMac(string cipher) => cipher is ChaCha20Poly1305 or Aes256Gcm or Aes128Gcm;

    public static int KeySize(string cipher) => cipher switch
    {
        ChaCha20Poly1305 => ChaCha20Poly1305Cipher.KeySize,
        Aes256Gcm or Aes256Ctr => 32,
        Aes128Gcm or Aes128Ctr => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(cipher), cipher, null),
    };

    public static int IvSize(string cipher) => cipher switch
    {
        ChaCha20Poly1305 => 0,
        Aes256Gcm or Aes128Gcm => AesGcmCipher.IvSize,
        _ => 16,
    };

    public static int MacKeySize(string? mac) => mac switch
    {
        HmacSha256Etm => 32,
        HmacSha512Etm => 64,
        _ => 0,
    };

    public static PacketCipher Create(string cipher, string? mac, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> macKey) => cipher switch
    {
        ChaCha20Poly1305 => new ChaCha20Poly1305Cipher(key),
        Aes256Gcm or Aes128Gcm => new AesGcmCipher(key, iv),
        Aes256Ctr or Aes128Ctr => new AesCtrEtmCipher(key, iv, mac == HmacSha512Etm ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256, macKey),
        _ => throw new ArgumentOutOfRangeException(nameof(cipher), cipher, null),
    };
}
