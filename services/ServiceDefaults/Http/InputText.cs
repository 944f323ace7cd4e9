namespace Gatehouse.ServiceDefaults.Http;

/// <summary>
/// What no name or search text may hold: control characters (PostgreSQL cannot even store NUL, and the rest rewrite
/// terminals and logs) and broken UTF-16. Free text in a JSON body may still hold tabs and line breaks.
/// </summary>
public static class InputText
{
    /// <summary>Longest query or route value: names, search text, times and ids are all far shorter.</summary>
    public const int MaxValueLength = 2048;

    /// <summary>Why <paramref name="value"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(string value, bool lineBreaksAllowed = false, int maxLength = int.MaxValue)
    {
        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "must not contain a NUL character";
            }

            if (char.IsControl(c) && !(lineBreaksAllowed && c is '\t' or '\n' or '\r'))
            {
                return $"must not contain the control character U+{(int)c:X4}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "is not valid Unicode text";
            }
        }

        return null;
    }
}
