using System.Text.Json.Nodes;
using Gatehouse.Contracts;
using MimeKit;

namespace Gatehouse.Audit.Notifying;

/// <summary>
/// What people are told about one access-request event. The requester's reason and names are the requester's text:
/// they are put into each format as data (JSON values, escaped Slack text, a plain-text mail body), never as markup.
/// </summary>
/// <param name="EventId">The event the notice is about: deliveries are recorded against it, so a redelivery tells nobody twice.</param>
/// <param name="ForApprovers">A new request waits for an approver: the e-mail recipients are told too.</param>
public sealed record AccessRequestNotice(
    Guid RequestId,
    Guid EventId,
    string Event,
    string UserName,
    string Target,
    string Login,
    string Actor,
    DateTimeOffset OccurredAt,
    string Summary,
    TimeSpan? Duration,
    string? Reason,
    DateTimeOffset? ExpiresAt,
    Uri? Link,
    bool ForApprovers)
{
    /// <summary>Longer reasons are cut in notices (the API allows 1000 characters; the console shows them whole).</summary>
    public const int ReasonShown = 500;

    public static AccessRequestNotice Of(AccessRequested requested, Uri? console) => new(
        requested.RequestId, requested.EventId, nameof(AccessRequested), requested.UserName, requested.Target, requested.Login,
        requested.Actor, requested.OccurredAt,
        $"{requested.UserName} asks for access to {requested.Target} as {requested.Login} for {requested.Duration:c}: {Cut(requested.Reason)}",
        requested.Duration, Cut(requested.Reason), null, LinkTo(console, requested.RequestId), ForApprovers: true);

    public static AccessRequestNotice Of(AccessRequestApproved approved, Uri? console) => new(
        approved.RequestId, approved.EventId, nameof(AccessRequestApproved), approved.UserName, approved.Target, approved.Login,
        approved.Actor, approved.OccurredAt,
        $"{approved.Actor} approved {approved.UserName}'s access to {approved.Target} as {approved.Login}, until {approved.ExpiresAt:yyyy-MM-dd HH:mm} UTC",
        null, null, approved.ExpiresAt, LinkTo(console, approved.RequestId), ForApprovers: false);

    public static AccessRequestNotice Of(AccessRequestDenied denied, Uri? console) => new(
        denied.RequestId, denied.EventId, nameof(AccessRequestDenied), denied.UserName, denied.Target, denied.Login,
        denied.Actor, denied.OccurredAt,
        $"{denied.Actor} denied {denied.UserName}'s access to {denied.Target} as {denied.Login}: {Cut(denied.Reason)}",
        null, Cut(denied.Reason), null, LinkTo(console, denied.RequestId), ForApprovers: false);

    public JsonObject Body(NoticeFormat format) => format switch
    {
        NoticeFormat.Slack => new JsonObject { ["text"] = SlackText() },
        _ => Generic(),
    };

    public JsonObject Generic() => new()
    {
        ["event"] = Event,
        ["requestId"] = RequestId,
        ["userName"] = UserName,
        ["target"] = Target,
        ["login"] = Login,
        ["duration"] = Duration?.ToString("c"),
        ["reason"] = Reason,
        ["expiresAt"] = ExpiresAt,
        ["actor"] = Actor,
        ["occurredAt"] = OccurredAt,
        ["summary"] = Summary,
        ["url"] = Link?.ToString(),
    };

    /// <summary>
    /// Slack reads &lt;...&gt; as links and mentions (&lt;!channel&gt;): the requester's text is escaped as Slack asks
    /// (&amp;, &lt;, &gt;), so only the console link is a link.
    /// </summary>
    public string SlackText()
    {
        var text = "Gatehouse: " + SlackEscape(Summary);
        return Link is null ? text : $"{text} <{Link}|Open the request>";
    }

    public MimeMessage Email(EmailSettings email)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.From!));
        message.To.AddRange(email.To.Select(MailboxAddress.Parse));
        message.Subject = $"Gatehouse: {UserName} asks for access to {Target} as {Login}";
        var lines = new List<string>
        {
            Summary,
            "",
            $"Request:  {RequestId}",
            $"User:     {UserName}",
            $"Target:   {Target}",
            $"Login:    {Login}",
        };
        if (Duration is { } duration)
        {
            lines.Add($"Duration: {duration:c}");
        }

        lines.Add($"Reason:   {Reason}");
        lines.Add($"Asked at: {OccurredAt:yyyy-MM-dd HH:mm:ss} UTC");
        if (Link is not null)
        {
            lines.Add("");
            lines.Add($"Approve or deny it in the console: {Link}");
        }

        message.Body = new TextPart("plain") { Text = string.Join("\n", lines) + "\n" };
        return message;
    }

    private static Uri? LinkTo(Uri? console, Guid requestId) => console is null ? null : new Uri(console, $"requests#request-{requestId:D}");

    private static string Cut(string text) => text.Length <= ReasonShown ? text : text[..ReasonShown] + "…";

    private static string SlackEscape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
