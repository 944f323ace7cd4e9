using System.Text.RegularExpressions;

namespace Gatehouse.Shell;

/// <summary>
/// chmod modes as the set-user-ID (04000) and set-group-ID (02000) bits they set, in numeric (<c>4755</c>,
/// <c>02755</c>) and symbolic (<c>u+s</c>, <c>g=rxs</c>, <c>+s</c>, <c>a+s,o-w</c>) form.
/// </summary>
internal static partial class ChmodModes
{
    public const int SetUserId = 0x800;
    public const int SetGroupId = 0x400;

    public static bool IsChmod(string program) => program == "chmod";

    public static bool IsSymbolic(string text) => SymbolicMode().IsMatch(text);

    /// <summary>The bits a mode in a rule asks for: <c>u+s</c>/4000 setuid, <c>g+s</c>/2000 setgid, <c>+s</c> either.</summary>
    public static int Requested(string mode)
    {
        if (NumericMode().IsMatch(mode))
        {
            return Convert.ToInt32(mode, 8) & (SetUserId | SetGroupId);
        }

        return IsSymbolic(mode) ? SetBits(mode) : 0;
    }

    /// <summary>Whether the command's mode sets any of <paramref name="bits"/>.</summary>
    public static Fit Sets(ParsedArguments arguments, int bits)
    {
        if (arguments.Options.Contains("--reference"))
        {
            return Fit.Maybe;
        }

        var mode = arguments.Operands.FirstOrDefault();
        if (mode is null)
        {
            return arguments.TakesUnknownArguments ? Fit.Maybe : Fit.No;
        }

        if (!mode.IsKnown)
        {
            return Fit.Maybe;
        }

        var set = NumericMode().IsMatch(mode.Value!) ? Convert.ToInt32(mode.Value, 8) : IsSymbolic(mode.Value!) ? SetBits(mode.Value!) : 0;
        return (set & bits) != 0 ? Fit.Yes : Fit.No;
    }

    private static int SetBits(string mode)
    {
        var bits = 0;
        foreach (var clause in mode.Split(','))
        {
            var who = clause.TakeWhile(c => c is 'u' or 'g' or 'o' or 'a').ToArray();
            var actions = clause[who.Length..];
            // s is only set by + or = (never by -); each operator starts a new action list.
            foreach (System.Text.RegularExpressions.Match action in Regex.Matches(actions, "([-+=])([rwxXstugo]*)"))
            {
                if (action.Groups[1].Value == "-" || !action.Groups[2].Value.Contains('s'))
                {
                    continue;
                }

                var everyone = who.Length == 0 || who.Contains('a');
                bits |= (everyone || who.Contains('u') ? SetUserId : 0) | (everyone || who.Contains('g') ? SetGroupId : 0);
            }
        }

        return bits;
    }

    [GeneratedRegex("^0?[0-7]{1,4}$")]
    private static partial Regex NumericMode();

    [GeneratedRegex("^([ugoa]*([-+=]([rwxXst]*|[ugo]))+)(,[ugoa]*([-+=]([rwxXst]*|[ugo]))+)*$")]
    private static partial Regex SymbolicMode();
}
