using System.Text.Json;

namespace Gatehouse.WebConsole.Pages.Alerts;

/// <summary>An alert as the Audit service's SOC API gives it (the fields the pages show).</summary>
public sealed record AlertRecord(Guid Id, string Rule, string Severity, string Title, string? UserName, string? Target, string? SourceAddress,
    IReadOnlyList<Guid> TriggeringEventIds, DateTimeOffset RaisedAt, string Status, string? AcknowledgedBy, string? ResolvedBy, string? Resolution);

/// <summary>A stored event as the audit API gives it.</summary>
public sealed record AuditEventRecord(Guid Id, long Sequence, string Type, DateTimeOffset OccurredAt, string Actor, string? SourceAddress,
    string? UserName, string? Target, string CorrelationId, JsonElement Data)
{
    /// <summary>The session and command position of a command event: where the recording shows it.</summary>
    public (Guid SessionId, int Sequence)? Command =>
        Type is "CommandExecuted" or "CommandBlocked"
        && Data.ValueKind == JsonValueKind.Object
        && Data.TryGetProperty("sessionId", out var session) && session.TryGetGuid(out var sessionId)
        && Data.TryGetProperty("sequence", out var sequence) && sequence.TryGetInt32(out var position)
            ? (sessionId, position)
            : null;

    /// <summary>The session the event belongs to, when it belongs to one: its page shows it in context.</summary>
    public Guid? SessionId => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("sessionId", out var session)
        && session.TryGetGuid(out var id) ? id : null;

    private static readonly HashSet<string> Shown = new(StringComparer.OrdinalIgnoreCase)
        { "eventId", "occurredAt", "actor", "sourceAddress", "correlationId", "userName", "target", "sessionId" };

    /// <summary>What the event says beyond who, where and when (those have their own columns): its other fields as name=value.</summary>
    public string Details => Data.ValueKind != JsonValueKind.Object ? "" : string.Join("; ", Data.EnumerateObject()
        .Where(property => !Shown.Contains(property.Name) && property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        .Select(property => $"{property.Name}={(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText())}"));

    public string? CommandLine => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty("commandLine", out var line)
        && line.ValueKind == JsonValueKind.String ? line.GetString() : null;
}

public sealed record AuditEventPage(IReadOnlyList<AuditEventRecord> Events, string? NextCursor);
