using System.Diagnostics;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>
/// Issue #16 end to end: every row of <see cref="HiddenCommands"/> tries to remove its own canary file on the target past a
/// deny policy on <c>rm -rf *</c>, through exec, typed on a terminal, fed to a shell without one and typed into a shell an
/// exec started. Each must leave the canary, record a CommandBlocked, show the user why, and leave the shell answering.
/// The rows of one path share a session (a login per row would be most of the runtime); a failure names every row that got through.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_forbidden_command_is_hidden(GatehouseStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_refuse_it_given_as_an_exec()
    {
        var (user, target, rows) = await ArrangeAsync("hidexec", Through.Exec);
        var failures = new List<string>();

        // A few logins at a time: each row is its own session.
        var clock = Stopwatch.StartNew();
        using var parallel = new SemaphoreSlim(4);
        var results = await Task.WhenAll(rows.Select(async row =>
        {
            await parallel.WaitAsync();
            try
            {
                return (row, await OpenSsh.SshAsync(stack, user, target, row.Line));
            }
            finally
            {
                parallel.Release();
            }
        }));
        output.WriteLine($"{rows.Count} exec rows in {clock.Elapsed.TotalSeconds:F1} s");

        var blocked = (await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Cast<CommandBlocked>().ToList();
        var executed = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>().ToList();
        foreach (var (row, result) in results)
        {
            Check(failures, row, result.ExitCode == 126, $"exit status {result.ExitCode}, not 126");
            Check(failures, row, result.Error.Contains("gatehouse: "), $"no refusal shown: {result.Error}");
            Check(failures, row, blocked.Any(b => b.CommandLine == row.Line && b.Capture == CommandCapture.Exec), "no CommandBlocked");
            Check(failures, row, executed.All(c => c.CommandLine != row.Line), "recorded as executed");
        }

        CheckCanaries(failures, rows);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Should_refuse_it_typed_on_a_terminal_and_keep_the_shell_usable()
    {
        var (user, target, rows) = await ArrangeAsync("hidetty", Through.Terminal);
        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await TypeRowsAsync(ssh, user, rows);
    }

    [Fact]
    public async Task Should_refuse_it_typed_into_a_shell_an_exec_started()
    {
        var (user, target, rows) = await ArrangeAsync("hidebashi", Through.Terminal);
        await using var ssh = InteractiveSsh.Start(stack, user, target, "bash -i");
        await TypeRowsAsync(ssh, user, rows, startedBy: "bash -i");
    }

    [Fact]
    public async Task Should_refuse_it_fed_to_a_shell_without_a_terminal()
    {
        var (user, target, rows) = await ArrangeAsync("hidenotty", Through.NoTerminal);
        var script = new StringBuilder("echo alive-$((0*1))\n");
        foreach (var row in rows)
        {
            script.Append(row.Input).Append($"echo alive-$(({row.Number}*1))\n");
        }

        var clock = Stopwatch.StartNew();
        var result = await OpenSsh.SshAsync(stack, user, target, null, Encoding.UTF8.GetBytes(script.ToString()), ["-T"], timeout: TimeSpan.FromMinutes(2));
        output.WriteLine($"{rows.Count} no-terminal rows in {clock.Elapsed.TotalSeconds:F1} s");

        var failures = new List<string>();
        Assert.Equal(string.Concat(Enumerable.Range(0, rows.Count + 1).Select(n => $"alive-{n}\n")), result.Text);
        var refusals = result.Error.Split('\n').Count(l => l.StartsWith("gatehouse: ", StringComparison.Ordinal));
        Check(failures, rows[0], refusals >= rows.Count, $"{refusals} refusals shown for {rows.Count} rows:\n{result.Error}");
        await CheckRecordAsync(failures, user, rows, CommandCapture.InteractiveLine);
        CheckCanaries(failures, rows);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Types each row, waits for its refusal, then checks the canary and that the shell still answers.</summary>
    private async Task TypeRowsAsync(InteractiveSsh ssh, GatehouseUser user, IReadOnlyList<Row> rows, string? startedBy = null)
    {
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var reached = 0;
        await ssh.TypeAsync("echo alive-$((0*1))\r");
        await ssh.WaitForAsync("alive-0");
        foreach (var row in rows)
        {
            var mark = ssh.Output.Length;
            await ssh.TypeAsync(row.Input);
            try
            {
                if (row.Hidden.Refused)
                {
                    await ssh.WaitForAsync("gatehouse: ", from: mark);
                }

                Check(failures, row, File.Exists(row.Victim), "the canary was removed");
                await ssh.TypeAsync($"echo alive-$(({row.Number}*1))\r");
                await ssh.WaitForAsync($"alive-{row.Number}", from: mark);
                reached = row.Number;
            }
            catch (Exception e) when (e is TimeoutException or IOException)
            {
                failures.Add($"{row}: {e.Message[..Math.Min(e.Message.Length, 300)]}");
                break;
            }
        }

        try
        {
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            failures.Add($"the session did not end on exit: {e.Message}");
        }

        output.WriteLine($"{rows.Count} terminal rows in {clock.Elapsed.TotalSeconds:F1} s");
        if (failures.Count > 0)
        {
            output.WriteLine(ssh.Output[Math.Max(0, ssh.Output.Length - 4000)..]);
        }

        if (startedBy is not null)
        {
            var start = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>().First();
            Assert.Equal((startedBy, CommandCapture.Exec), (start.CommandLine, start.Capture));
        }

        await CheckRecordAsync(failures, user, rows.Take(reached).ToList(), CommandCapture.InteractiveLine);
        CheckCanaries(failures, rows);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// The record, cut at each row's <c>echo alive-N</c>: every row left a CommandBlocked of the session's kind and nothing
    /// recorded as run that starts rm.
    /// </summary>
    private async Task CheckRecordAsync(List<string> failures, GatehouseUser user, IReadOnlyList<Row> rows, CommandCapture capture)
    {
        var events = await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name && b.Capture == capture
                                                         || e is CommandExecuted c && c.UserName == user.Name && c.Capture == capture);
        var segments = new List<List<IAccessEvent>> { new() };
        foreach (var e in events)
        {
            if (e is CommandExecuted { CommandLine: var line } && line == $"echo alive-$(({segments.Count - 1}*1))")
            {
                segments.Add([]);
            }
            else
            {
                segments[^1].Add(e);
            }
        }

        foreach (var row in rows)
        {
            var segment = row.Number < segments.Count ? segments[row.Number] : [];
            Check(failures, row, segment.Any(e => e is CommandBlocked) || !row.Hidden.Refused, "no CommandBlocked");
            Check(failures, row, !segment.OfType<CommandExecuted>().Any(c => c.Commands?.Any(s => Path.GetFileName(s.Program) == "rm") ?? false),
                $"recorded as run: {string.Join(" | ", segment.OfType<CommandExecuted>().Select(c => c.CommandLine))}");
        }
    }

    private static void CheckCanaries(List<string> failures, IReadOnlyList<Row> rows)
    {
        foreach (var row in rows)
        {
            Check(failures, row, File.Exists(row.Victim), "the canary was removed");
        }
    }

    private static void Check(List<string> failures, Row row, bool ok, string what)
    {
        if (!ok)
        {
            failures.Add($"row {row.Number} ({row.Hidden}): {what}");
        }
    }

    /// <summary>A row of the table made concrete: its number in this session, its canary and the input to send.</summary>
    private sealed record Row(int Number, HiddenCommand Hidden, string Victim, string Line, string Input)
    {
        public override string ToString() => $"row {Number} ({Hidden})";
    }

    private async Task<(GatehouseUser, string, IReadOnlyList<Row>)> ArrangeAsync(string prefix, Through through)
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync(prefix, "guarded");
        await stack.DenyCommandsAsync("no-recursive-delete", "rm -rf *");
        var rows = new List<Row>();
        foreach (var (hidden, index) in HiddenCommands.Via(through).Select((h, i) => (h, i)))
        {
            var victim = Path.Combine(stack.Target.Directory, $"canary-{prefix}-{index + 1}-{Guid.NewGuid():N}"[..^24]);
            await File.WriteAllTextAsync(victim, "keep me");
            var script = victim + ".sh";
            await File.WriteAllTextAsync(script, $"#!/bin/sh\nrm -rf {victim}\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            rows.Add(new Row(index + 1, hidden, victim, hidden.For(victim, script), through switch
            {
                Through.Terminal => hidden.Keys(victim, script),
                Through.NoTerminal => hidden.Lines(victim, script),
                _ => hidden.For(victim, script),
            }));
        }

        return (user, target, rows);
    }
}
