using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Authentication.Tests.Support;

/// <summary>SSH public keys made at test time, in wire format.</summary>
public sealed record TestKey(string Algorithm, byte[] Blob)
{
    public string Base64 => Convert.ToBase64String(Blob);

    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    public string Line(string? comment = null) => $"{Algorithm} {Base64}" + (comment is null ? "" : " " + comment);
}

public static class TestKeys
{
    public static TestKey Ed25519() => new("ssh-ed25519", Wire(Ascii("ssh-ed25519"), RandomNumberGenerator.GetBytes(32)));

    public static TestKey EcdsaP256()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = ecdsa.ExportParameters(false).Q;
        return new("ecdsa-sha2-nistp256", Wire(Ascii("ecdsa-sha2-nistp256"), Ascii("nistp256"), [0x04, .. q.X!, .. q.Y!]));
    }

    public static TestKey Rsa(int bits)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        return new("ssh-rsa", Wire(Ascii("ssh-rsa"), MpInt(p.Exponent!), MpInt(p.Modulus!)));
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] MpInt(byte[] unsigned) => unsigned[0] >= 0x80 ? [0, .. unsigned] : unsigned;

    private static byte[] Wire(params byte[][] fields)
    {
        var output = new List<byte>();
        foreach (var field in fields)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
            output.AddRange(length);
            output.AddRange(field);
        }

        return [.. output];
    }
}
