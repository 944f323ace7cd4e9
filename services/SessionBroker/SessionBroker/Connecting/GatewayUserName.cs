using System.Text.RegularExpressions;

namespace Gatehouse.SessionBroker.Connecting;

/// <summary>
/// What the SSH user name says: the Gatehouse user, the target, and optionally the login to use there.
/// <c>alice:web01</c> reaches web01 as the login "alice" (Authorization needs a login, and ssh too defaults to the
/// user's own name); <c>alice:deploy@web01</c> asks for the login "deploy". (ssh splits user and host at the last '@', so <c>ssh -p 2222 alice:deploy@web01@gatehouse</c> works.)
/// User and target are compared in lower case, as the Authentication and Authorization services store them.
/// </summary>
public sealed partial record GatewayUserName(string User, string Target, string? Login)
{
    public const string Syntax = "<user>:<target> or <user>:<login>@<target>";

    public static bool TryParse(string? value, out GatewayUserName parsed, out string error)
    {
        parsed = null!;
        var match = value is { Length: <= 400 } ? Pattern().Match(value) : Match.Empty;
        if (!match.Success)
        {
            error = $"The SSH user name must look like {Syntax}";
            return false;
        }

        parsed = new GatewayUserName(
            match.Groups["user"].Value.ToLowerInvariant(),
            match.Groups["target"].Value.ToLowerInvariant(),
            match.Groups["login"].Success ? match.Groups["login"].Value : null);
        error = "";
        return true;
    }

    public override string ToString() => Login is null ? $"{User}:{Target}" : $"{User}:{Login}@{Target}";

    // User names as Authentication accepts them, POSIX-style logins, target names as Authorization accepts them.
    [GeneratedRegex(@"^(?<user>[A-Za-z_][A-Za-z0-9._-]{0,31}):(?:(?<login>[a-z_][a-z0-9_.-]{0,31})@)?(?<target>[A-Za-z0-9][A-Za-z0-9._-]{0,62})\z")]
    private static partial Regex Pattern();
}
