using System.ComponentModel.DataAnnotations;

namespace Gatehouse.WebConsole;

/// <summary>Where the four services answer, and how long a signed-in person may stay idle.</summary>
public sealed class ConsoleSettings
{
    public const string Section = "Gatehouse:Console";

    [Required]
    public Uri? AuthenticationUrl { get; set; }

    [Required]
    public Uri? AuthorizationUrl { get; set; }

    [Required]
    public Uri? SessionBrokerUrl { get; set; }

    [Required]
    public Uri? AuditUrl { get; set; }

    /// <summary>
    /// The API of every gateway (SessionBroker) instance, whose live sessions the console lists and watches: each
    /// instance knows only its own. Empty: the one at <see cref="SessionBrokerUrl"/>.
    /// </summary>
    public List<Uri> GatewayApiUrls { get; set; } = [];

    /// <summary>A sign-in left unused this long ends; the API token's own expiry ends it earlier.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "08:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Bound on every call to a service, so a page never hangs on one that does not answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a page waits for the audit to record that it was opened; past it the page is refused (503), never sent
    /// unrecorded. Short, so a broker or database hiccup costs a person seconds, not a hung page.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan PageReadAuditTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
