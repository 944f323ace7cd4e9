namespace Gatehouse.Shell;

internal sealed partial class Parser
{
    private const int MaxWrapperHops = 16;

    private void Resolve(RawCommand raw)
    {
        foreach (var reason in raw.Assignments.Select(Invocations.AssignmentRisk).OfType<string>())
        {
            _output.Unknown(reason);
        }

        if (raw.Words.Count > 0)
        {
            Emit(raw.Words, raw.Context, raw.Stdin, takesUnknownArguments: false, raw, hops: 0);
        }
        else if (raw.AssignmentWords.Count > 0 || raw.Redirections.Count > 0)
        {
            _output.BareCommands.Add(new BareCommand(raw.AssignmentWords.ToList(), raw.Redirections.ToList(), raw.Context));
        }
    }

    /// <summary>Adds the command, then what it runs in turn: the program behind a wrapper, a literal script.</summary>
    private void Emit(IReadOnlyList<ShellWord> words, string context, Stdin stdin, bool takesUnknownArguments, RawCommand? raw, int hops)
    {
        var program = words[0];
        if (!program.IsKnown)
        {
            _output.Unknown(program.UnknownBecause == "a glob"
                ? $"a glob in the program name ({program.Typed}) picks the program from the files on the target"
                : $"the program name comes from {program.UnknownBecause}, only known when it runs");
            return;
        }

        var arguments = words.Skip(1).ToList();
        var name = SimpleCommand.ProgramName(program.Value!);
        var effect = Invocations.Of(program.Value!, name, arguments, stdin, takesUnknownArguments);
        _output.Commands.Add(new SimpleCommand(program, arguments, context, effect.Unchecked, takesUnknownArguments)
        {
            Assignments = raw?.AssignmentWords ?? [],
            Redirections = raw?.Redirections ?? [],
        });
        if (raw is not null)
        {
            raw.LiteralOutput = Invocations.LiteralOutput(name, arguments, stdin);
        }

        if (effect.Unknowable is not null)
        {
            _output.Unknown(effect.Unknowable);
        }

        foreach (var run in effect.Runs.Where(r => r.Words.Count > 0))
        {
            if (hops >= MaxWrapperHops)
            {
                _output.Unknown("the line nests wrappers too deeply to follow");
                return;
            }

            Emit(run.Words, Join(run.Context, context), run.Stdin ?? stdin, run.TakesUnknownArguments, null, hops + 1);
        }

        if (effect.Script is { } script)
        {
            var inner = stdin.Kind == StdinKind.Terminal && script.ReadsTerminal ? Stdin.Terminal : Stdin.Unknown;
            ReadScript(script.Text, Join(script.Context, context), _depth + 1, _output, nested: true, inner);
        }
    }
}
