using System.Diagnostics;
using System.Runtime.Versioning;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Sessions;
using Microsoft.Extensions.DependencyInjection;

[assembly: SupportedOSPlatform("linux")]

// From a keystroke in an ssh client to the character on the terminal of a browser watching the session in the console:
// ssh -> gateway -> sshd echoes -> gateway relay -> watcher's stream -> console -> EventSource -> xterm.js in chromium.
// Each round types one letter and waits (on the page, polled every animation frame) until the line ends with it.
// Usage: dotnet run -c Release -- [keys=300]
var keys = args.Length > 0 ? int.Parse(args[0]) : 300;
const int warmUp = 20;
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

var stack = new ConsoleStack();
await stack.InitializeAsync();
try
{
    var analyst = await stack.PersonAsync("bench", "soc-analyst");
    var page = await stack.PageAsync();
    await ConsoleStack.SignInAsync(page, analyst);
    await page.WaitForURLAsync("**/alerts");

    var (user, target, _) = await stack.Services.AUserWithAGrantAsync("keys", "bench");
    await using var ssh = InteractiveSsh.Start(stack.Services, user, target);
    await ssh.TypeAsync("echo ready-$((1+1))\r");
    await ssh.WaitForAsync("ready-2");
    var session = stack.Services.Broker.GetRequiredService<LiveSessions>().List().Single(s => s.UserName == user.Name);
    await page.GotoAsync($"/live/{session.SessionId}");
    await page.WaitForSelectorAsync("#live-terminal[data-watching=true]");

    var times = new List<double>();
    var line = "";
    for (var round = 0; round < warmUp + keys; round++)
    {
        if (line.Length == 40)
        {
            // Ctrl-U empties the line; the next letter starts a new one after the prompt.
            await ssh.TypeAsync("\u0015");
            await page.WaitForFunctionAsync("() => document.querySelector('#live-terminal .xterm-rows').innerText.trimEnd().endsWith('#')");
            line = "";
        }

        var key = (char)('a' + round % 26);
        line += key;
        var clock = Stopwatch.StartNew();
        await ssh.TypeAsync(key.ToString());
        await page.WaitForFunctionAsync("line => Array.from(document.querySelectorAll('#live-terminal .xterm-rows > div')).some(row => row.textContent.trimEnd().endsWith(line))",
            line);
        if (round >= warmUp)
        {
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    times.Sort();
    double At(double p) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(p * times.Count) - 1)];
    Console.WriteLine($"Keystroke in ssh to the character in a watching browser, {keys} keys after {warmUp} warm-ups ({Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end).");
    Console.WriteLine();
    Console.WriteLine("| min | p50 | p90 | p99 | max | aim |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Console.WriteLine($"| {times[0]:F1} ms | {At(0.50):F1} ms | {At(0.90):F1} ms | {At(0.99):F1} ms | {times[^1]:F1} ms | p99 < 1000 ms |");
}
finally
{
    await stack.DisposeAsync();
}
