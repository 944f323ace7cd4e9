namespace Gatehouse.Vocabulary;

/// <summary>
/// Text from outside (a user name, a host, a protocol line, a reason from the bus) made safe to show on a terminal and in
/// a log: cut to a length, every control character replaced by '?', so no escape sequence reaches a terminal that would
/// obey it and no line break forges a log line.
/// </summary>
public static class Printable
{
    public static string Of(string text, int maxLength = int.MaxValue) =>
        string.Create(Math.Min(text.Length, maxLength), text, static (shown, given) =>
        {
            for (var i = 0; i < shown.Length; i++)
            {
                shown[i] = char.IsControl(given[i]) ? '?' : given[i];
            }
        });
}
