using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.TestSupport;

namespace Gatehouse.Console.Tests.Requests;

/// <summary>
/// Where the Audit service of the console tests sends access-request notices: a webhook receiver on a real port (two
/// paths, the generic and the Slack format) that refuses each notice's first attempt, so the retry is exercised, and a
/// real SMTP server, Debian's python3-aiosmtpd, whose debugging handler prints each message it accepts.
/// </summary>
public sealed class NoticeReceivers : IAsyncDisposable
{
    private readonly StringBuilder _smtpOutput = new();
    private RefusingWebhook _webhooks = null!;
    private Process _smtp = null!;

    public ConcurrentQueue<(string Path, JsonObject Body)> Received => _webhooks.Received;

    public Uri WebhookUrl => _webhooks.Url;

    public int SmtpPort { get; private set; }

    public const string Approvers = "approvers@gatehouse.test";

    /// <summary>The Audit service's settings that send notices here (paging retries quicker than the default).</summary>
    public IEnumerable<KeyValuePair<string, string?>> AuditSettings() => new Dictionary<string, string?>
    {
        ["Gatehouse:Audit:Paging:FirstRetryDelay"] = "00:00:00.200",
        ["Gatehouse:Audit:Notifications:Webhooks:0:Name"] = "approvers-json",
        ["Gatehouse:Audit:Notifications:Webhooks:0:Url"] = new Uri(WebhookUrl, "generic").ToString(),
        ["Gatehouse:Audit:Notifications:Webhooks:1:Name"] = "approvers-slack",
        ["Gatehouse:Audit:Notifications:Webhooks:1:Url"] = new Uri(WebhookUrl, "slack").ToString(),
        ["Gatehouse:Audit:Notifications:Webhooks:1:Format"] = "Slack",
        ["Gatehouse:Audit:Notifications:Email:Host"] = "127.0.0.1",
        ["Gatehouse:Audit:Notifications:Email:Port"] = SmtpPort.ToString(),
        ["Gatehouse:Audit:Notifications:Email:Security"] = "None",
        ["Gatehouse:Audit:Notifications:Email:From"] = "gatehouse@gatehouse.test",
        ["Gatehouse:Audit:Notifications:Email:To:0"] = Approvers,
    };

    public static async Task<NoticeReceivers> StartAsync()
    {
        var receivers = new NoticeReceivers();
        receivers._webhooks = await RefusingWebhook.StartAsync(refuseFirst: 1, deliveryOf: notice => notice.ToJsonString());

        receivers.SmtpPort = FreeLoopbackPort();
        // Debian's interpreter, which has the package (a python3 earlier on PATH may not).
        receivers._smtp = new Process
        {
            StartInfo = new ProcessStartInfo("/usr/bin/python3", ["-u", "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{receivers.SmtpPort}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
        };
        receivers._smtp.OutputDataReceived += (_, line) => { lock (receivers._smtpOutput) { receivers._smtpOutput.AppendLine(line.Data); } };
        receivers._smtp.ErrorDataReceived += (_, line) => { lock (receivers._smtpOutput) { receivers._smtpOutput.AppendLine(line.Data); } };
        receivers._smtp.Start();
        receivers._smtp.BeginOutputReadLine();
        receivers._smtp.BeginErrorReadLine();
        await receivers.WaitForSmtpAsync();
        return receivers;
    }

    /// <summary>The first webhook body on <paramref name="path"/> that matches, waiting for it with a generous bound.</summary>
    public async Task<JsonObject> WebhookAsync(string path, Func<JsonObject, bool> matches)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Received.FirstOrDefault(r => r.Path == path && matches(r.Body)) is { Body: not null } found)
            {
                return found.Body;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90),
                $"No matching notice on /{path} within 90 s; received: {string.Join("\n", Received.Select(r => r.Path + " " + r.Body.ToJsonString()))}");
            await Task.Delay(250);
        }
    }

    public int AttemptsWith(string path, string text) => _webhooks.AttemptsFor(path, notice => notice.Contains(text, StringComparison.Ordinal));

    /// <summary>The first message the SMTP server accepted that contains <paramref name="text"/>.</summary>
    public async Task<string> MailAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string output;
            lock (_smtpOutput)
            {
                output = _smtpOutput.ToString();
            }

            var message = output.Split("---------- MESSAGE FOLLOWS ----------").Skip(1).FirstOrDefault(m => m.Contains(text, StringComparison.Ordinal));
            if (message is not null)
            {
                return message;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"The SMTP server got no message with '{text}' within 90 s; it printed:\n{output}");
            await Task.Delay(250);
        }
    }

    private async Task WaitForSmtpAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30) && !_smtp.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"aiosmtpd did not listen on {SmtpPort} (install python3-aiosmtpd): {_smtpOutput}");
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_smtp is { HasExited: false })
        {
            _smtp.Kill();
            await _smtp.WaitForExitAsync();
        }

        _smtp?.Dispose();
        await _webhooks.DisposeAsync();
    }
}
