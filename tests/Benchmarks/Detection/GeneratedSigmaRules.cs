namespace Gatehouse.Benchmarks.Detection;

/// <summary>
/// A stand-in for an operator's rule folder: <c>count</c> distinct Sigma rules over every category, using every modifier and
/// condition form Gatehouse evaluates, written so that ordinary traffic never fires them (as most rules, most of the time).
/// </summary>
public static class GeneratedSigmaRules
{
    public static string WriteFolder(int count)
    {
        var folder = Directory.CreateTempSubdirectory("gatehouse-bench-sigma-").FullName;
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"generated_{i:D4}.yml"), Rule(i));
        }

        return folder;
    }

    private static string Rule(int i)
    {
        var (category, detection) = (i % 10) switch
        {
            0 or 1 => ("ssh_command", $$"""
                  sel_line:
                    CommandLine|contains|all: ['tool{{i}}', '--flag{{i}}']
                  sel_prog:
                    Program: [bin{{i}}a, bin{{i}}b]
                    Arguments|windash: ['-x{{i}}', '-y{{i}}']
                  condition: 1 of sel_*
                """),
            2 or 3 => ("ssh_command", $$"""
                  selection:
                    CommandLine|re|i: 'evil{{i}}\s+(-\w+\s+)*/etc/'
                  filter:
                    Program: [ls, cat]
                  condition: selection and not filter
                """),
            4 or 5 => ("ssh_command", $$"""
                  selection:
                    Command|startswith: 'fetch{{i}} '
                    Command|endswith: ['.sh', '.py']
                  strange:
                    Arguments|contains: 'payload{{i}}'
                  condition: selection or strange
                """),
            6 or 7 => ("authentication", $$"""
                  selection:
                    Outcome: failure
                    User|startswith: 'svc{{i}}-'
                    SourceIp|cidr: '10.{{i % 250}}.0.0/16'
                  condition: selection
                """),
            8 => ("file_transfer", $$"""
                  selection:
                    Operation: [OpenForWrite, Rename]
                    Path|endswith: ['.key{{i}}', '/authorized_keys{{i}}']
                  condition: selection
                """),
            _ => ("access_decision", $$"""
                  denied:
                    Outcome: denied
                    Target|contains: 'vault{{i}}'
                  refused:
                    Outcome: refused
                    Detail|contains: 'probe{{i}}'
                  condition: denied or refused
                """),
        };
        return $"""
            title: Generated rule {i}
            id: 00000000-0000-4000-8000-{i:D12}
            level: medium
            tags: [attack.execution, attack.t1059.004]
            logsource:
              product: gatehouse
              category: {category}
            detection:
            {detection}
            """;
    }
}
