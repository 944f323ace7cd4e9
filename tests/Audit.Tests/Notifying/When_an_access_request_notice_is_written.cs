using Gatehouse.Audit.Notifying;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Tests.Notifying;

public sealed class When_an_access_request_notice_is_written
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly Uri Console = new("https://gatehouse.example.org/");

    private static AccessRequested Requested(string reason) => new(Guid.NewGuid(), "alice", "web01", "deploy", TimeSpan.FromMinutes(90), reason,
        "alice", "10.0.0.5", "corr-1", Guid.NewGuid(), At);

    [Fact]
    public void Should_carry_the_request_as_data_in_the_generic_body()
    {
        var requested = Requested("Deploy the hotfix");
        var body = AccessRequestNotice.Of(requested, Console).Body(NoticeFormat.Generic);

        Assert.Equal("AccessRequested", body["event"]!.ToString());
        Assert.Equal(requested.RequestId, body["requestId"]!.GetValue<Guid>());
        Assert.Equal("alice", body["userName"]!.ToString());
        Assert.Equal("web01", body["target"]!.ToString());
        Assert.Equal("deploy", body["login"]!.ToString());
        Assert.Equal("01:30:00", body["duration"]!.ToString());
        Assert.Equal("Deploy the hotfix", body["reason"]!.ToString());
        Assert.Equal($"https://gatehouse.example.org/requests#request-{requested.RequestId}", body["url"]!.ToString());
    }

    [Fact]
    public void Should_escape_the_requesters_words_in_the_slack_text_so_only_the_console_link_is_a_link()
    {
        var requested = Requested("<!channel> see <https://evil.example|the docs> & hurry");
        var body = AccessRequestNotice.Of(requested, Console).Body(NoticeFormat.Slack);

        Assert.Equal(["text"], body.Select(p => p.Key));
        Assert.Equal("Gatehouse: alice asks for access to web01 as deploy for 01:30:00: &lt;!channel&gt; see &lt;https://evil.example|the docs&gt; &amp; hurry"
            + $" <https://gatehouse.example.org/requests#request-{requested.RequestId}|Open the request>", body["text"]!.ToString());
    }

    [Fact]
    public void Should_cut_a_long_reason_in_the_notice()
    {
        var notice = AccessRequestNotice.Of(Requested(new string('x', 1000)), null);

        Assert.Equal(AccessRequestNotice.ReasonShown + 1, notice.Reason!.Length);
        Assert.Null(notice.Link);
        Assert.DoesNotContain("<http", notice.SlackText());
    }

    [Fact]
    public void Should_name_who_decided_in_the_outcomes()
    {
        var requestId = Guid.NewGuid();
        var approved = AccessRequestNotice.Of(new AccessRequestApproved(requestId, "alice", "web01", "deploy", Guid.NewGuid(), At.AddHours(1),
            "bob", null, "corr-2", Guid.NewGuid(), At), Console);
        var denied = AccessRequestNotice.Of(new AccessRequestDenied(requestId, "alice", "web01", "deploy", "No ticket", "carol", null, "corr-3",
            Guid.NewGuid(), At), Console);

        Assert.Equal("bob approved alice's access to web01 as deploy, until 2026-12-04 22:00 UTC", approved.Summary);
        Assert.False(approved.ForApprovers);
        Assert.Equal("carol denied alice's access to web01 as deploy: No ticket", denied.Summary);
        Assert.Equal("No ticket", denied.Body(NoticeFormat.Generic)["reason"]!.ToString());
    }

    [Fact]
    public void Should_send_the_email_to_the_approvers_with_the_details_in_plain_text()
    {
        var requested = Requested("Deploy <b>now</b>");
        var email = new EmailSettings { Host = "smtp.example.org", From = "gatehouse@example.org", To = ["a@example.org", "b@example.org"] };
        var message = AccessRequestNotice.Of(requested, Console).Email(email);

        Assert.Equal(["a@example.org", "b@example.org"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Gatehouse: alice asks for access to web01 as deploy", message.Subject);
        Assert.Equal("text/plain", message.Body!.ContentType.MimeType);
        Assert.Contains($"Request:  {requested.RequestId}", message.TextBody);
        Assert.Contains("Duration: 01:30:00", message.TextBody);
        Assert.Contains("Reason:   Deploy <b>now</b>", message.TextBody);
        Assert.Contains($"Approve or deny it in the console: https://gatehouse.example.org/requests#request-{requested.RequestId}", message.TextBody);
    }
}
