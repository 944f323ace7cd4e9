using Gatehouse.WebConsole.Calling;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.WebConsole.Pages.Administration;

public sealed record GrantWindowRecord(string TimeZone, IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To);

public sealed record GrantRecord(Guid Id, string SubjectKind, string Subject, IReadOnlyList<string> TargetNames,
    IReadOnlyDictionary<string, string> TargetLabels, IReadOnlyList<string> Logins, IReadOnlyList<GrantWindowRecord> TimeWindows,
    DateTimeOffset? ExpiresAt, IReadOnlyList<string> SourceCidrs, TimeSpan? MaxSessionLength, bool PortForwardingAllowed, bool MfaRequired,
    DateTimeOffset IssuedAt, string IssuedBy, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevocationReason,
    IReadOnlyList<string>? ForwardingDestinations, IReadOnlyList<string>? RemoteForwardingPorts);

/// <summary>The CLI's <c>grants issue</c> options as one form; the Authorization service judges every one of them.</summary>
public sealed class IssueGrantForm
{
    /// <summary>User, Role (an access role) or ApiRole.</summary>
    public string SubjectKind { get; set; } = "User";

    public string? Subject { get; set; }

    public string? TargetNames { get; set; }

    public string? TargetLabels { get; set; }

    public string? Logins { get; set; }

    /// <summary>One time window: its days ("mon, tue"), opening and closing time and IANA zone; none when the days are empty.</summary>
    public string? TimeWindows { get; set; }

    public string? WindowFrom { get; set; }

    public string? WindowTo { get; set; }

    public string? WindowTimeZone { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string? SourceCidrs { get; set; }

    public int? MaxSessionLength { get; set; }

    public bool PortForwardingAllowed { get; set; }

    public string? ForwardingDestinations { get; set; }

    /// <summary>The ports ssh -R may listen on at the target's loopback (8080, 8000-8099, * for any), comma separated.</summary>
    public string? RemoteForwardingPorts { get; set; }

    public bool MfaRequired { get; set; }
}

public sealed class RevokeForm
{
    public Guid Id { get; set; }

    public string? Reason { get; set; }
}

/// <summary>Grants: the standing ones (and revoked ones on request), issuing and revoking (through the Authorization API).</summary>
public sealed class GrantsModel(ServiceApis apis) : AdministrationPage(apis)
{
    public IReadOnlyList<GrantRecord> Grants { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public bool IncludeRevoked { get; set; }

    [BindProperty]
    public IssueGrantForm Issue { get; set; } = new();

    [BindProperty]
    public RevokeForm Revoke { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Notices { get; } = new Dictionary<string, string>
    {
        ["issued"] = "Grant issued.",
        ["revoked"] = "Grant revoked: no new session may use it.",
    };

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var answer = await Apis.GetAsync<List<GrantRecord>>(GatehouseService.Authorization, $"api/grants?includeRevoked={IncludeRevoked}",
            cancellationToken);
        Grants = answer.Value ?? [];
        Problem = answer.Succeeded ? null : answer.Problem;
    }

    public Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authorization, "api/grants", new
        {
            subjectKind = Issue.SubjectKind,
            subject = Issue.Subject,
            targetNames = Items(Issue.TargetNames),
            targetLabels = Labels(Issue.TargetLabels),
            logins = Items(Issue.Logins),
            timeWindows = Items(Issue.TimeWindows) is { Length: > 0 } days
                ? new[] { new { timeZone = Issue.WindowTimeZone, days, from = Issue.WindowFrom, to = Issue.WindowTo } }
                : [],
            expiresAt = Issue.ExpiresAt,
            sourceCidrs = Items(Issue.SourceCidrs),
            maxSessionLength = Issue.MaxSessionLength is { } minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null,
            portForwardingAllowed = Issue.PortForwardingAllowed,
            mfaRequired = Issue.MfaRequired,
            forwardingDestinations = Items(Issue.ForwardingDestinations),
            remoteForwardingPorts = Items(Issue.RemoteForwardingPorts),
        }, cancellationToken), "issued", nameof(Issue), Issue, cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken) =>
        ChangeAsync(Apis.PostAsync<object>(GatehouseService.Authorization, $"api/grants/{Revoke.Id:D}/revoke", new { reason = Revoke.Reason },
            cancellationToken), "revoked", nameof(Revoke), Revoke, cancellationToken);
}
