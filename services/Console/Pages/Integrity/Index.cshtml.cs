using System.Text.Json;
using Gatehouse.WebConsole.Calling;
using Gatehouse.WebConsole.Pages.Alerts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Integrity;

public sealed record IntegrityProblemRecord(string Kind, long DigestNumber, Guid? EventId, long? Sequence, string Detail);

/// <summary>What the Audit service's verification of the signed digest chain answered.</summary>
public sealed record IntegrityReportRecord(bool Intact, int DigestsChecked, int EventsChecked, long SealedUpToSequence, long UnsealedEvents,
    IReadOnlyList<IntegrityProblemRecord> Problems);

/// <summary>A verification as recorded in the audit store (AuditChainVerified): who ran it, when, and what it found.</summary>
public sealed record LastVerification(string Verifier, DateTimeOffset At, bool Intact, int DigestsChecked, int EventsChecked, long SealedUpToSequence,
    long UnsealedEvents, int ProblemCount, IReadOnlyList<string> Problems)
{
    public static LastVerification? Of(AuditEventRecord stored)
    {
        try
        {
            var data = stored.Data.Deserialize<Recorded>(ServiceApis.Json);
            return data is null ? null : new LastVerification(data.Verifier, stored.OccurredAt, data.Intact, data.DigestsChecked, data.EventsChecked,
                data.SealedUpToSequence, data.UnsealedEvents, data.ProblemCount, data.Problems ?? []);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Recorded(string Verifier, bool Intact, int DigestsChecked, int EventsChecked, long SealedUpToSequence, long UnsealedEvents,
        int ProblemCount, IReadOnlyList<string>? Problems);
}

/// <summary>
/// The last verification of the signed audit chain, and a button that runs it again: the Audit service recomputes the
/// chain, records the run under the person's name and answers what it named.
/// </summary>
public sealed class IndexModel(ServiceApis apis) : PageModel
{
    public LastVerification? Last { get; private set; }

    /// <summary>The report of the run this page just made (after the button).</summary>
    public IntegrityReportRecord? Report { get; private set; }

    public string? Problem { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadLastAsync(cancellationToken);

    /// <summary>A POST (with the antiforgery token) because the run is recorded: a link or an image must not start one.</summary>
    public async Task OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        var answer = await apis.GetAsync<IntegrityReportRecord>(GatehouseService.Audit, "api/audit/integrity/verify", cancellationToken);
        Report = answer.Value;
        Problem = answer.Succeeded ? null : answer.Problem;
        await LoadLastAsync(cancellationToken);
    }

    private async Task LoadLastAsync(CancellationToken cancellationToken)
    {
        var answer = await apis.GetAsync<AuditEventRecord>(GatehouseService.Audit, "api/audit/integrity/last", cancellationToken);
        if (answer.Value is { } stored)
        {
            Last = LastVerification.Of(stored);
            Problem ??= Last is null ? "The last verification's record could not be read." : null;
        }
        else if (answer.Status != System.Net.HttpStatusCode.NotFound)
        {
            Problem ??= answer.Problem;
        }
    }
}
