using Gatehouse.Audit.Paging;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using MailKit.Net.Smtp;
using MailKit.Security;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Notifying;

/// <summary>A channel's answer to a notice about an access request, after its retries (on the request's stream).</summary>
/// <param name="NoticeOf">The event the notice was about.</param>
public sealed record AccessRequestNotified(Guid RequestId, Guid NoticeOf, string Channel, bool Delivered, int Attempts, int? StatusCode,
    string? Error, DateTimeOffset At);

/// <summary>
/// Tells approvers about new access requests, and the webhooks about each outcome, as the alert pager pages: on its own
/// queue, after Authorization has stored the request (a notice never holds up or loses one), with the paging retries,
/// and each channel's outcome recorded so a redelivered event tells nobody twice.
/// </summary>
public sealed class AccessRequestNotifier(Deliveries deliveries, IOptionsMonitor<NotificationSettings> settings,
    IOptionsMonitor<PagingSettings> retries, IDocumentStore store, TimeProvider clock)
    : IConsumer<AccessRequested>, IConsumer<AccessRequestApproved>, IConsumer<AccessRequestDenied>
{
    /// <summary>The approvers, told by e-mail.</summary>
    public static readonly DeliveryChannel EmailChannel = new("e-mail", "approvers");

    public Task Consume(ConsumeContext<AccessRequested> context) =>
        NotifyAsync(context, AccessRequestNotice.Of(context.Message, settings.CurrentValue.ConsoleUrl));

    public Task Consume(ConsumeContext<AccessRequestApproved> context) =>
        NotifyAsync(context, AccessRequestNotice.Of(context.Message, settings.CurrentValue.ConsoleUrl));

    public Task Consume(ConsumeContext<AccessRequestDenied> context) =>
        NotifyAsync(context, AccessRequestNotice.Of(context.Message, settings.CurrentValue.ConsoleUrl));

    private async Task NotifyAsync<TEvent>(ConsumeContext<TEvent> context, AccessRequestNotice notice) where TEvent : class, IAccessEvent
    {
        // What the audit store would refuse is told to nobody either.
        AccessEventValidation.EnsureValid(context.Message, context.MessageId, clock.GetUtcNow());
        var current = settings.CurrentValue;
        var policy = retries.CurrentValue;
        var cancellationToken = context.CancellationToken;
        var told = await AlreadyToldAsync(notice, cancellationToken);
        var what = $"notice of {notice.Event} {notice.RequestId}";

        foreach (var webhook in current.Webhooks.Where(w => w.Url is not null))
        {
            var channel = new DeliveryChannel("webhook", webhook.Name);
            if (!told.Contains(channel.ToString()))
            {
                var outcome = await deliveries.PostJsonAsync(what, channel, webhook.Url!, notice.Body(webhook.Format), policy, cancellationToken);
                await RecordAsync(notice, channel, outcome, cancellationToken);
            }
        }

        if (notice.ForApprovers && current.Email.Configured && !told.Contains(EmailChannel.ToString()))
        {
            var email = current.Email;
            var outcome = await deliveries.DeliverAsync(what, EmailChannel, policy, async attemptCancellation =>
            {
                await SendAsync(email, notice, policy.Timeout, attemptCancellation);
                return new AttemptResult(null, null);
            }, cancellationToken);
            await RecordAsync(notice, EmailChannel, outcome, cancellationToken);
        }
    }

    internal static async Task SendAsync(EmailSettings email, AccessRequestNotice notice, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        var security = email.Security switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(email.Host!, email.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(email.UserName))
        {
            await client.AuthenticateAsync(email.UserName, email.Password!, cancellationToken);
        }

        await client.SendAsync(notice.Email(email), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private async Task<HashSet<string>> AlreadyToldAsync(AccessRequestNotice notice, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var stream = await query.Events.FetchStreamAsync(notice.RequestId, token: cancellationToken);
        return stream.Select(e => e.Data).OfType<AccessRequestNotified>().Where(n => n.NoticeOf == notice.EventId).Select(n => n.Channel).ToHashSet();
    }

    private async Task RecordAsync(AccessRequestNotice notice, DeliveryChannel channel, DeliveryOutcome outcome, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(notice.RequestId, new AccessRequestNotified(notice.RequestId, notice.EventId, channel.ToString(), outcome.Delivered,
            outcome.Attempts, outcome.StatusCode, outcome.Error, clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
    }
}

public sealed class AccessRequestNotifierDefinition : ConsumerDefinition<AccessRequestNotifier>
{
    public AccessRequestNotifierDefinition()
    {
        EndpointName = "audit-access-request-notices";
    }
}
