using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Connecting;

/// <summary>
/// What the SSH user name says: the Gatehouse user, the target, and optionally the login to use there.
/// <c>alice:web01</c> reaches web01 as the login "alice" (Authorization needs a login, and ssh too defaults to the
/// user's own name); <c>alice:deploy@web01</c> asks for the login "deploy". (ssh splits user and host at the last '@', so <c>ssh -p 2222 alice:deploy@web01@gatehouse</c> works.)
/// User and target are compared in lower case, as the Authentication and Authorization services store them; each
/// part follows the one grammar of its kind of name.
/// </summary>
public sealed record GatewayUserName(string User, string Target, string? Login)
{
    public const string Syntax = "<user>:<target> or <user>:<login>@<target>";

    public static bool TryParse(string? value, out GatewayUserName parsed, out string error)
    {
        parsed = null!;
        error = $"The SSH user name must look like {Syntax}";
        if (value is not { Length: <= 400 } || value.IndexOf(':') is not (> 0 and var colon))
        {
            return false;
        }

        var user = NameCase.Lower(value[..colon]);
        var rest = value[(colon + 1)..];
        var at = rest.IndexOf('@');
        var login = at >= 0 ? rest[..at] : null;
        var target = NameCase.Lower(rest[(at + 1)..]);
        if (!UserNames.IsValid(user) || !TargetNames.IsValid(target) || (login is not null && !LoginNames.IsValid(login)))
        {
            return false;
        }

        parsed = new GatewayUserName(user, target, login);
        error = "";
        return true;
    }

    public override string ToString() => Login is null ? $"{User}:{Target}" : $"{User}:{Login}@{Target}";
}
