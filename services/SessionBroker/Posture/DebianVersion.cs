namespace Gatehouse.SessionBroker.Posture;

/// <summary>
/// A Debian package version, <c>[epoch:]upstream[-revision]</c>, ordered as dpkg orders them (Debian Policy §5.6.12):
/// epochs numerically, then upstream and revision by alternating non-digit runs (letters before other characters,
/// <c>~</c> before everything, even the end) and digit runs compared as numbers. OpenSSH's own numbers (9.8p1) order
/// correctly under the same rules.
/// </summary>
public sealed record DebianVersion(long Epoch, string Upstream, string Revision) : IComparable<DebianVersion>
{
    /// <summary>The version, or null when <paramref name="text"/> is not one (upstream must start with a digit).</summary>
    public static DebianVersion? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '~' or '-' or ':')))
        {
            return null;
        }

        long epoch = 0;
        var rest = text;
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            if (!long.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.None, null, out epoch))
            {
                return null;
            }

            rest = text[(colon + 1)..];
        }

        var dash = rest.LastIndexOf('-');
        var (upstream, revision) = dash >= 0 ? (rest[..dash], rest[(dash + 1)..]) : (rest, "");
        if (upstream.Length == 0 || !char.IsAsciiDigit(upstream[0]) || upstream.Contains(':') || (dash >= 0 && revision.Length == 0)
            || revision.Contains(':'))
        {
            return null;
        }

        return new DebianVersion(epoch, upstream, revision);
    }

    public int CompareTo(DebianVersion? other)
    {
        if (other is null) return 1;
        if (Epoch != other.Epoch) return Epoch.CompareTo(other.Epoch);
        var upstream = Compare(Upstream, other.Upstream);
        return upstream != 0 ? upstream : Compare(Revision, other.Revision);
    }

    public static bool operator <(DebianVersion a, DebianVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(DebianVersion a, DebianVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(DebianVersion a, DebianVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(DebianVersion a, DebianVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => (Epoch > 0 ? $"{Epoch}:" : "") + Upstream + (Revision.Length > 0 ? $"-{Revision}" : "");

    /// <summary>dpkg's verrevcmp.</summary>
    private static int Compare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var (ac, bc) = (Order(a, i), Order(b, j));
                if (ac != bc) return ac < bc ? -1 : 1;
                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0') i++;
            while (j < b.Length && b[j] == '0') j++;
            var firstDifference = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0) firstDifference = a[i] - b[j];
                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i])) return 1;
            if (j < b.Length && char.IsAsciiDigit(b[j])) return -1;
            if (firstDifference != 0) return firstDifference < 0 ? -1 : 1;
        }

        return 0;
    }

    private static int Order(string s, int index)
    {
        if (index >= s.Length) return 0;
        var c = s[index];
        return char.IsAsciiDigit(c) ? 0 : char.IsAsciiLetter(c) ? c : c == '~' ? -1 : c + 256;
    }
}
