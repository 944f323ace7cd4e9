using System.Text.Json;
using Gatehouse.WebConsole.Calling;
using Gatehouse.WebConsole.Pages.Alerts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages.Sessions;

public sealed record SftpOperationRecord(int Sequence, string Operation, string Path, string? NewPath, DateTimeOffset At);

/// <summary>One session: its facts, its commands (blocked ones marked), its file operations and its recording in the player.</summary>
public sealed class ShowModel(ServiceApis apis) : PageModel
{
    public SessionRecord? Session { get; private set; }

    public IReadOnlyList<SftpOperationRecord> FileOperations { get; private set; } = [];

    public string? Problem { get; private set; }

    public bool SeesFileOperations { get; private set; }

    /// <summary>The command the page was opened at (from an alert), whose moment the player starts at.</summary>
    [BindProperty(SupportsGet = true, Name = "command")]
    public int? AtCommand { get; set; }

    /// <summary>The player's markers, one per command: [seconds, label], as asciinema-player takes them.</summary>
    public string MarkersJson => JsonSerializer.Serialize(Session!.Commands.Select(c => new object[] { Session.SecondsInto(c), $"{c.Sequence}: {c.CommandLine}" }));

    /// <summary>One connection's negotiated algorithms for a person, or why they are not shown.</summary>
    public string Algorithms(SshAlgorithmsRecord? negotiated) => negotiated is null
        ? "not recorded (a session from before the gateway recorded it)"
        : $"key exchange {negotiated.KeyExchange}, cipher {negotiated.Cipher}, host key {negotiated.HostKey}";

    public double? StartAt => Session!.Commands.FirstOrDefault(c => c.Sequence == AtCommand) is { } command ? Session.SecondsInto(command) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var answer = await apis.GetAsync<SessionRecord>(GatehouseService.Audit, $"{SessionSource.Sessions(User)}/{id:D}", cancellationToken);
        if (!answer.Succeeded)
        {
            return StatusCode((int)answer.Status);
        }

        Session = answer.Value!;
        SeesFileOperations = SessionSource.SeesAll(User);
        if (!SeesFileOperations)
        {
            // File operations are read from the audit trail's events, which only the SOC roles may search.
            return Page();
        }

        var query = QueryString.Empty.Add("correlationId", Session.CorrelationId).Add("type", "SftpFileOperation").Add("limit", "1000");
        var operations = await apis.GetAsync<AuditEventPage>(GatehouseService.Audit, "api/audit/events" + query, cancellationToken);
        if (operations.Value is { } page)
        {
            FileOperations = page.Events.Select(e => Operation(e, id)).OfType<SftpOperationRecord>().OrderBy(o => o.Sequence).ToList();
            Problem = page.NextCursor is null ? null : "More than 1000 file operations: the first 1000 are shown.";
        }
        else
        {
            Problem = operations.Problem;
        }

        return Page();
    }

    private static SftpOperationRecord? Operation(AuditEventRecord stored, Guid sessionId)
    {
        var data = stored.Data;
        return data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("sessionId", out var session) && session.TryGetGuid(out var id) && id == sessionId
            && data.TryGetProperty("sequence", out var sequence) && sequence.TryGetInt32(out var position)
            && data.TryGetProperty("operation", out var operation) && data.TryGetProperty("path", out var path)
            ? new SftpOperationRecord(position, operation.ToString(), path.GetString() ?? "",
                data.TryGetProperty("newPath", out var newPath) && newPath.ValueKind == JsonValueKind.String ? newPath.GetString() : null,
                stored.OccurredAt)
            : null;
    }
}
