using System.Net;
using Gatehouse.Audit.Paging;
using Gatehouse.ServiceDefaults.Settings;
using MimeKit;

namespace Gatehouse.Audit.Notifying;

public enum NoticeFormat
{
    /// <summary>The notice as a JSON object of its fields.</summary>
    Generic,

    /// <summary>A Slack incoming webhook's <c>{"text": ...}</c> (Mattermost and others take it too).</summary>
    Slack,
}

public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>No encryption: only for a relay on this host, and never with a password.</summary>
    None,
}

/// <summary>
/// Who is told about access requests, from <c>Gatehouse:Audit:Notifications</c>: webhooks get every request and its
/// outcome, the e-mail recipients (the approvers) every new request. Retries are the paging ones
/// (<c>Gatehouse:Audit:Paging</c>).
/// </summary>
public sealed class NotificationSettings
{
    public const string Section = "Gatehouse:Audit:Notifications";

    /// <summary>The web console's address: each notice links to its access-request page.</summary>
    public Uri? ConsoleUrl { get; set; }

    public List<NoticeWebhookSettings> Webhooks { get; set; } = [];

    /// <summary>Unset (no Host) means no e-mail.</summary>
    public EmailSettings Email { get; set; } = new();

    public static IReadOnlyList<string> Problems(NotificationSettings settings)
    {
        const string section = Section;
        var problems = new List<string>();
        if (settings.ConsoleUrl is { } console && !WebhookAddresses.IsHttp(console))
        {
            problems.Add($"{section}:ConsoleUrl must be an absolute http or https address");
        }

        problems.AddRange(WebhookAddresses.Problems(section, settings.Webhooks.Select(w => (w.Name, w.Url)).ToList()));

        var email = settings.Email;
        if (!email.Configured)
        {
            return problems;
        }

        var mail = $"{section}:Email";
        if (email.Port is < 1 or > 65535)
        {
            problems.Add($"{mail}:Port must be between 1 and 65535");
        }

        if (!IsAddress(email.From))
        {
            problems.Add($"{mail}:From must be an e-mail address");
        }

        if (email.To.Count == 0)
        {
            problems.Add($"{mail}:To must name at least one recipient (the approvers)");
        }

        problems.AddRange(email.To.Where(to => !IsAddress(to)).Select(to => $"{mail}:To '{to}' is not an e-mail address"));
        if (string.IsNullOrEmpty(email.UserName) != string.IsNullOrEmpty(email.Password))
        {
            problems.Add($"{mail}:UserName and Password go together");
        }

        if (email.Security == SmtpSecurity.None && !string.IsNullOrEmpty(email.Password))
        {
            problems.Add($"{mail}:Security None would send the password in clear; use StartTls or Tls");
        }

        if (email.Security == SmtpSecurity.None && !IsLoopback(email.Host!))
        {
            problems.Add($"{mail}:Security None is only for a relay on this host (localhost or a loopback address)");
        }

        return problems;
    }

    /// <summary>A whole address (a bare local part parses too, but no mail server delivers it).</summary>
    private static bool IsAddress(string? text) => MailboxAddress.TryParse(text ?? "", out var mailbox) && mailbox.Address.Contains('@');

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}

public static class NotificationSettingsRegistration
{
    /// <summary>Binds <c>Gatehouse:Audit:Notifications</c>; a channel that could never be told stops the service at start.</summary>
    public static IServiceCollection AddNotificationSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<NotificationSettings>(configuration.GetSection(NotificationSettings.Section), NotificationSettings.Problems);
        return services;
    }
}

public sealed class NoticeWebhookSettings
{
    public string Name { get; set; } = "";
    public Uri? Url { get; set; }
    public NoticeFormat Format { get; set; } = NoticeFormat.Generic;
}

public sealed class EmailSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>For a mail server that wants a sign-in; the password from the environment, never appsettings.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }
    public string? From { get; set; }
    public List<string> To { get; set; } = [];

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}
