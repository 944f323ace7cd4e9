using System.Net;
using System.Net.Sockets;
using Gatehouse.Audit.Notifying;
using Gatehouse.Audit.Paging;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Audit.Tests.Notifying;

public sealed class When_a_notice_cannot_be_delivered
{
    private const string WebhookSecret = "T0001-B0002-webhook-secret";
    private const string MailPassword = "mail-password-secret";

    private static readonly PagingSettings Retries = new()
    {
        MaxAttempts = 3, FirstRetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(5),
    };

    private readonly CapturedLog _log = new();

    private Deliveries Deliveries()
    {
        var services = new ServiceCollection().AddLogging(logging => CapturedLog.AddTo(logging, _log));
        services.AddSingleton(TimeProvider.System);
        return Gatehouse.Audit.Paging.Deliveries.AddDeliveries(services).BuildServiceProvider().GetRequiredService<Deliveries>();
    }

    private static AccessRequestNotice Notice() => AccessRequestNotice.Of(new AccessRequested(Guid.NewGuid(), "alice", "web01", "deploy",
        TimeSpan.FromHours(1), "hotfix", "alice", null, "corr", Guid.NewGuid(), DateTimeOffset.UtcNow), null);

    /// <summary>A loopback port nothing listens on: every connection is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Should_try_a_webhook_that_does_not_answer_a_bounded_number_of_times_and_log_it_without_its_address()
    {
        var notice = Notice();
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}/services/{WebhookSecret}");

        var outcome = await Deliveries().PostJsonAsync($"notice of {notice.Event} {notice.RequestId}", new DeliveryChannel("webhook", "approvers"),
            url, notice.Body(NoticeFormat.Slack), Retries, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(3, outcome.Attempts);
        Assert.Null(outcome.StatusCode);
        Assert.StartsWith("HttpRequestException", outcome.Error);
        Assert.DoesNotContain(WebhookSecret, outcome.Error);
        Assert.Equal(3, _log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.StartsWith($"Notice of AccessRequested {notice.RequestId} to webhook approvers failed")));
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith($"Gave up notice of AccessRequested {notice.RequestId} to webhook approvers after 3 attempts"));
        Assert.DoesNotContain(_log.Lines, line => line.Contains(WebhookSecret));
    }

    [Fact]
    public async Task Should_try_a_mail_server_that_does_not_answer_a_bounded_number_of_times_and_log_it_without_the_password()
    {
        var notice = Notice();
        var email = new EmailSettings
        {
            Host = "127.0.0.1", Port = ClosedPort(), UserName = "gatehouse", Password = MailPassword, From = "gatehouse@example.org", To = ["approvers@example.org"],
        };

        var outcome = await Deliveries().DeliverAsync("notice of AccessRequested", AccessRequestNotifier.EmailChannel, Retries, async cancellationToken =>
        {
            await AccessRequestNotifier.SendAsync(email, notice, Retries.Timeout, cancellationToken);
            return new AttemptResult(null, null);
        }, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(3, outcome.Attempts);
        Assert.NotNull(outcome.Error);
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("Gave up notice of AccessRequested to e-mail approvers after 3 attempts"));
        Assert.DoesNotContain(_log.Lines, line => line.Contains(MailPassword));
    }
}
