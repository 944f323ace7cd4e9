using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Authentication.SignIn;

/// <summary>
/// Every login attempt (one gateway connection, one token request) has its own stream, named by its correlation id:
/// concurrent logins never contend for a stream, and the stream tells one attempt's whole story.
/// </summary>
public static class LoginStreams
{
    public static Guid For(string correlationId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("gatehouse-login:" + correlationId));
        hash[6] = (byte)((hash[6] & 0x0f) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
