using System.Text;
using Gatehouse.Shell;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>What the gateway does with input to a shell without a terminal.</summary>
public abstract record ShellInputStep;

/// <summary>A command the shell will read from its input: <see cref="Bytes"/> go to the target only if <see cref="Text"/> may run.</summary>
public sealed record ShellInput(string Text, byte[] Bytes) : ShellInputStep;

/// <summary>Input that never reaches the target, and why (the one line the user is shown).</summary>
public sealed record ShellInputRefused(string Text, string Message) : ShellInputStep;

/// <summary>
/// Reads the input of a shell that has no terminal (<c>ssh -T</c>, <c>ssh target &lt; script</c>) the way the shell
/// does: lines of bytes ended by LF, with no editing keys and no paste markers, because nothing edits them. Under a
/// command policy (<paramref name="checkedWhole"/>) lines are held until they make a whole command (an <c>if</c>, a
/// here-document, a continued line) so the command is checked as the shell will run it, and a line with a control
/// character other than Tab, bytes that are not UTF-8, or more than 64 KiB is refused: what is checked must be what the
/// shell reads.
/// </summary>
public sealed class ShellInputLines(bool checkedWhole)
{
    public const int MaxLength = 64 * 1024;

    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);
    private readonly List<byte> _pending = [];
    private bool _discarding;

    /// <summary>Feeds bytes read from the user; returns the commands completed in them, in order.</summary>
    public IReadOnlyList<ShellInputStep> Feed(ReadOnlySpan<byte> input)
    {
        var steps = new List<ShellInputStep>();
        foreach (var b in input)
        {
            if (_discarding)
            {
                _discarding = b != (byte)'\n';
                continue;
            }

            _pending.Add(b);
            if (b == (byte)'\n')
            {
                Complete(steps, atEnd: false);
            }
            else if (_pending.Count > MaxLength)
            {
                steps.Add(Refuse($"a line longer than {MaxLength / 1024} KiB"));
                _discarding = true;
            }
        }

        return steps;
    }

    /// <summary>The end of input: the shell runs a last line without a newline too, or a command left open is refused.</summary>
    public IReadOnlyList<ShellInputStep> End()
    {
        var steps = new List<ShellInputStep>();
        if (_pending.Count > 0)
        {
            Complete(steps, atEnd: true);
        }

        return steps;
    }

    private void Complete(List<ShellInputStep> steps, bool atEnd)
    {
        string text;
        try
        {
            text = Strict.GetString([.. _pending]).TrimEnd('\n');
        }
        catch (DecoderFallbackException)
        {
            steps.Add(Refuse("bytes that are not UTF-8"));
            return;
        }

        if (!checkedWhole)
        {
            steps.Add(new ShellInput(text, [.. _pending]));
            _pending.Clear();
            return;
        }

        var control = text.FirstOrDefault(c => char.IsControl(c) && c is not ('\t' or '\n'), '\t');
        if (control != '\t')
        {
            steps.Add(Refuse($"a control character (U+{(int)control:X4}), which the shell would take as part of a word"));
            return;
        }

        if (!atEnd && ShellReader.Read(text).Incomplete is not null)
        {
            // The shell reads on before it runs anything; so does the gateway.
            return;
        }

        steps.Add(new ShellInput(text, [.. _pending]));
        _pending.Clear();
    }

    private ShellInputRefused Refuse(string what)
    {
        var text = Encoding.UTF8.GetString([.. _pending]).TrimEnd('\n');
        _pending.Clear();
        return new ShellInputRefused(text, $"gatehouse: not run: the input holds {what}; the gateway must read exactly what the shell runs");
    }
}
