using System.Diagnostics;

namespace Gatehouse.Forwarding.Benchmarks;

/// <summary>What both modes measure the same way: a bulk upload through ssh, medians and spreads, CPU time per process.</summary>
public static class Measure
{
    private static readonly double TicksPerSecond = SystemClockTicks();

    /// <summary>ssh without a configuration, prompts or host key checks (every host here is on loopback and made by the run).</summary>
    public static readonly string[] BatchSsh = ["-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR"];

    /// <summary>Runs <c>ssh ARGUMENTS 'cat &gt; /dev/null'</c>, writes <paramref name="mebibytes"/> MiB to it; MiB/s until ssh exits.</summary>
    public static async Task<double> UploadAsync(string[] sshArguments, int mebibytes)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in sshArguments.Append("cat > /dev/null"))
        {
            start.ArgumentList.Add(argument);
        }

        var block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var error = process.StandardError.ReadToEndAsync();
        for (var i = 0; i < mebibytes; i++)
        {
            await process.StandardInput.BaseStream.WriteAsync(block);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh {string.Join(' ', sshArguments)} 'cat > /dev/null' failed: {await error}");
        }

        return mebibytes / clock.Elapsed.TotalSeconds;
    }

    public static double Median(IReadOnlyCollection<double> values) => values.Order().ElementAt(values.Count / 2);

    public static string Spread(IReadOnlyCollection<double> values, string unit) =>
        $"{Median(values):F0} {unit} ({values.Min():F0}-{values.Max():F0})";

    /// <summary>
    /// Waits (at most a minute) until the JIT compiles fewer than 20 methods in 2 s: right after the stack starts, the
    /// process spends much of its time compiling (start-up, then tier-1 recompiles of what runs hot), which the first
    /// measure would otherwise pay for. Returns how many methods were compiled so far.
    /// </summary>
    public static async Task<long> JitSettledAsync()
    {
        var waited = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now - compiled < 20)
            {
                return now;
            }

            compiled = now;
        }

        return compiled;
    }

    /// <summary>The share of a warm-up pass's wall time the JIT may still be busy for when measuring starts.</summary>
    public const double SettledJitShare = 0.02;

    /// <summary>Runs <paramref name="pass"/> until one whole pass ran with the JIT busy for under <see cref="SettledJitShare"/> of it (at most 8); returns the passes run.</summary>
    public static async Task<int> WarmUpAsync(Func<Task> pass)
    {
        for (var passes = 1; ; passes++)
        {
            var jit = System.Runtime.JitInfo.GetCompilationTime();
            var clock = Stopwatch.StartNew();
            await pass();
            if (System.Runtime.JitInfo.GetCompilationTime() - jit < clock.Elapsed * SettledJitShare || passes == 8)
            {
                return passes;
            }
        }
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>CPU seconds (user + system) the processes have used so far; a process gone meanwhile counts nothing.</summary>
    public static double CpuSeconds(IEnumerable<int> processIds)
    {
        double ticks = 0;
        foreach (var id in processIds)
        {
            try
            {
                // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
                var stat = File.ReadAllText($"/proc/{id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>The sshd started with this configuration file and every process below it (its per-connection children).</summary>
    public static IEnumerable<int> SshdTree(string configPath) =>
        Tree(command => command.Contains(configPath));

    /// <summary>A process and every process below it (an ssh client and the ssh its ProxyCommand started).</summary>
    public static IEnumerable<int> Tree(int root) =>
        Tree(_ => false, root);

    private static IEnumerable<int> Tree(Func<string, bool> isRoot, int? root = null)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var id))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                parents[id] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                if (root is null && isRoot(File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ')))
                {
                    root = id;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        if (root is not { } found)
        {
            return [];
        }

        var tree = new HashSet<int> { found };
        bool grew;
        do
        {
            grew = false;
            foreach (var (id, parent) in parents)
            {
                grew |= tree.Contains(parent) && tree.Add(id);
            }
        }
        while (grew);

        return tree;
    }

    private static double SystemClockTicks()
    {
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
        var ticks = getconf.StandardOutput.ReadToEnd();
        getconf.WaitForExit();
        return double.Parse(ticks);
    }
}

/// <summary>
/// The CPU time each process on a path spends while it carries bytes, added up over the rounds: CPU time per MiB does
/// not depend on how long the process waited for a core, which on a shared machine the wall time does.
/// </summary>
public sealed class CpuPerMebibyte(params (string Role, Func<IEnumerable<int>> Processes)[] roles)
{
    private readonly double[] _seconds = new double[roles.Length];
    private long _mebibytes;
    private TimeSpan _jit;

    public async Task<double> MeasureAsync(Func<Task<double>> run, int mebibytes)
    {
        var before = roles.Select(r => Measure.CpuSeconds(r.Processes())).ToArray();
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var rate = await run();
        _jit += System.Runtime.JitInfo.GetCompilationTime() - jit;
        for (var i = 0; i < roles.Length; i++)
        {
            _seconds[i] += Measure.CpuSeconds(roles[i].Processes()) - before[i];
        }

        _mebibytes += mebibytes;
        return rate;
    }

    /// <summary>
    /// "this process 12.3, ssh client 4.5, ...; total 20.1 ms/MiB; the JIT was busy ... 0.2": the JIT's figure is its
    /// elapsed time on all threads (waiting for a core included), to show whether it was still at work, not CPU time.
    /// </summary>
    public override string ToString() =>
        string.Join(", ", roles.Select((r, i) => $"{r.Role} {Per(_seconds[i]):F1}"))
        + $"; total {Per(_seconds.Sum()):F1} ms/MiB; the JIT was busy in this process meanwhile for {Per(_jit.TotalSeconds):F1} ms/MiB of wall time";

    private double Per(double seconds) => _mebibytes == 0 ? 0 : seconds * 1000 / _mebibytes;
}
