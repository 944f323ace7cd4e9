using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Connecting;

/// <summary>
/// What the SSH user name says: the Gatehouse user, the target, and optionally the login to use there.
/// <c>alice:web01</c> reaches web01 as the login "alice" (Authorization needs a login, and ssh too defaults to the
/// user's own name); <c>alice:deploy@web01</c> asks for the login "deploy". (ssh splits user and host at the last '@', so <c>ssh -p 2222 alice:deploy@web01@gatehouse</c> works.)
/// The same with '+' between the parts (<c>alice+web01</c>, <c>alice+deploy+web01</c>): neither a URL (git's ssh://) nor
/// rsync's <c>user@host:path</c> reads '+' as a separator, and no name grammar allows it. The plain user name
/// (<c>alice</c>) names no target: such a connection only carries ProxyJump (<see cref="JumpOnly"/>).
/// User and target are compared in lower case, as the Authentication and Authorization services store them; each
/// part follows the one grammar of its kind of name.
/// </summary>
public sealed record GatewayUserName(string User, string Target, string? Login)
{
    public const string Syntax = "<user>:<target>, <user>:<login>@<target>, <user>+<login>+<target>, or <user> alone for ProxyJump";

    /// <summary>A plain user name: the connection may only open channels to targets' SSH ports (ProxyJump), no session of its own.</summary>
    public bool JumpOnly => Target.Length == 0;

    public static bool TryParse(string? value, out GatewayUserName parsed, out string error)
    {
        parsed = null!;
        error = $"The SSH user name must look like {Syntax}";
        if (value is not { Length: <= 400 })
        {
            return false;
        }

        var (userPart, login, targetPart) = Split(value);
        var user = NameCase.Lower(userPart);
        var target = targetPart is null ? "" : NameCase.Lower(targetPart);
        if (!UserNames.IsValid(user) || (targetPart is not null && !TargetNames.IsValid(target)) || (login is not null && !LoginNames.IsValid(login)))
        {
            return false;
        }

        parsed = new GatewayUserName(user, target, login);
        error = "";
        return true;
    }

    /// <summary>The user, login and target parts as written; a name without a separator is the user alone.</summary>
    private static (string User, string? Login, string? Target) Split(string value)
    {
        var colon = value.IndexOf(':');
        if (colon >= 0)
        {
            var rest = value[(colon + 1)..];
            var at = rest.IndexOf('@');
            return (value[..colon], at >= 0 ? rest[..at] : null, rest[(at + 1)..]);
        }

        var parts = value.Split('+');
        return parts.Length switch
        {
            1 => (value, null, null),
            2 => (parts[0], null, parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            _ => ("", null, null),
        };
    }

    public override string ToString() => JumpOnly ? User : Login is null ? $"{User}:{Target}" : $"{User}:{Login}@{Target}";
}
