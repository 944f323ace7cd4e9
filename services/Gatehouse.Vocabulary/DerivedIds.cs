using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Vocabulary;

/// <summary>
/// Ids that follow from names, so the same names always reach the same stream (a vault slot, a login attempt, an
/// alert): the first 16 bytes of SHA-256 over the scope and the names.
/// </summary>
public static class DerivedIds
{
    /// <summary>
    /// The id of <paramref name="names"/> within <paramref name="scope"/> (what kind of thing is named, e.g. "vault").
    /// The parts are joined with NUL, which no validated name contains, so ("a", "bc") and ("ab", "c") differ.
    /// This is byte for byte the vault's first derivation, so credential slots stored before keep their ids.
    /// </summary>
    public static Guid From(string scope, params ReadOnlySpan<string> names)
    {
        var text = new StringBuilder(scope);
        foreach (var name in names)
        {
            text.Append('\0').Append(name);
        }

        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}
