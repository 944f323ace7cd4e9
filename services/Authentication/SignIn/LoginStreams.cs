using Gatehouse.Vocabulary;

namespace Gatehouse.Authentication.SignIn;

/// <summary>
/// Every login attempt (one gateway connection, one token request) has its own stream, named by its correlation id:
/// concurrent logins never contend for a stream, and the stream tells one attempt's whole story.
/// </summary>
public static class LoginStreams
{
    public static Guid For(string correlationId) => DerivedIds.From("login", correlationId);
}
