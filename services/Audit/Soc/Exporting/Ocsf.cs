using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.AuditTrail;

namespace Gatehouse.Audit.Soc.Exporting;

/// <summary>
/// Stored events as OCSF 1.3 events: logins as Authentication (3002), sessions as SSH Activity (4007), commands as
/// Process Activity (1007), access decisions as Authorize Session (3003), account changes as Account Change (3001),
/// alerts as Detection Finding (2004); anything else as a Base Event (0) carrying the original.
/// </summary>
public static class Ocsf
{
    public const string Version = "1.3.0";

    private sealed record Mapping(int ClassUid, int CategoryUid, string ClassName, int ActivityId, string Activity, int StatusId);

    public static JsonObject FromEntry(AuditEntry entry)
    {
        var map = entry.Type switch
        {
            "LoginSucceeded" => new Mapping(3002, 3, "Authentication", 1, "Logon", 1),
            "LoginFailed" or "MfaFailed" => new Mapping(3002, 3, "Authentication", 1, "Logon", 2),
            "SessionStarted" => new Mapping(4007, 4, "SSH Activity", 1, "Open", 1),
            "SessionEnded" => new Mapping(4007, 4, "SSH Activity", 2, "Close", 1),
            "CommandExecuted" => new Mapping(1007, 1, "Process Activity", 1, "Launch", 1),
            "CommandBlocked" => new Mapping(1007, 1, "Process Activity", 1, "Launch", 2),
            "AccessGranted" => new Mapping(3003, 3, "Authorize Session", 1, "Assign Privileges", 1),
            "AccessDenied" => new Mapping(3003, 3, "Authorize Session", 1, "Assign Privileges", 2),
            "UserCreated" => new Mapping(3001, 3, "Account Change", 1, "Create", 1),
            "UserDeleted" => new Mapping(3001, 3, "Account Change", 6, "Delete", 1),
            "UserDisabled" or "AccountLocked" => new Mapping(3001, 3, "Account Change", 5, "Disable", 1),
            "UserEnabled" or "AccountUnlocked" => new Mapping(3001, 3, "Account Change", 2, "Enable", 1),
            "PasswordChanged" => new Mapping(3001, 3, "Account Change", 3, "Password Change", 1),
            _ => new Mapping(0, 0, "Base Event", 99, "Other", 1),
        };
        var ocsf = Base(map, entry.OccurredAt, entry.Id, entry.CorrelationId, entry.Type);
        ocsf["actor"] = new JsonObject { ["user"] = new JsonObject { ["name"] = entry.Actor } };
        if (entry.UserName is { } user)
        {
            ocsf["user"] = new JsonObject { ["name"] = user };
        }

        if (entry.SourceAddress is { } source)
        {
            ocsf["src_endpoint"] = new JsonObject { ["ip"] = source };
        }

        if (entry.Target is { } target)
        {
            ocsf["dst_endpoint"] = new JsonObject { ["hostname"] = target };
        }

        if (map.ClassUid == 1007 && entry.Data.TryGetProperty("commandLine", out var commandLine))
        {
            ocsf["process"] = new JsonObject { ["cmd_line"] = commandLine.GetString() };
        }

        ocsf["unmapped"] = JsonNode.Parse(entry.Data.GetRawText());
        return ocsf;
    }

    public static JsonObject FromAlert(AlertView alert)
    {
        var ocsf = Base(new Mapping(2004, 2, "Detection Finding", 1, "Create", 1), alert.RaisedAt, alert.Id, alert.DeduplicationKey, "AlertRaised");
        ocsf["severity_id"] = alert.Severity switch
        {
            Contracts.Alerts.AlertSeverity.Low => 2,
            Contracts.Alerts.AlertSeverity.Medium => 3,
            Contracts.Alerts.AlertSeverity.High => 4,
            _ => 5,
        };
        ocsf["status_id"] = alert.Status switch { AlertStatus.Open => 1, AlertStatus.Acknowledged => 2, _ => 4 };
        ocsf["finding_info"] = new JsonObject
        {
            ["uid"] = alert.Id.ToString(),
            ["title"] = alert.Title,
            ["analytic"] = new JsonObject { ["name"] = alert.Rule, ["type_id"] = 1, ["type"] = "Rule" },
            ["related_events"] = new JsonArray(alert.TriggeringEventIds.Select(id => (JsonNode)new JsonObject { ["uid"] = id.ToString() }).ToArray()),
        };
        if (alert.UserName is { } user)
        {
            ocsf["actor"] = new JsonObject { ["user"] = new JsonObject { ["name"] = user } };
        }

        return ocsf;
    }

    private static JsonObject Base(Mapping map, DateTimeOffset time, Guid id, string correlation, string originalType) => new()
    {
        ["class_uid"] = map.ClassUid,
        ["class_name"] = map.ClassName,
        ["category_uid"] = map.CategoryUid,
        ["activity_id"] = map.ActivityId,
        ["activity_name"] = map.Activity,
        ["type_uid"] = map.ClassUid * 100 + map.ActivityId,
        ["status_id"] = map.StatusId,
        ["status"] = map.StatusId == 1 ? "Success" : "Failure",
        ["severity_id"] = 1,
        ["time"] = time.ToUnixTimeMilliseconds(),
        ["metadata"] = new JsonObject
        {
            ["version"] = Version,
            ["uid"] = id.ToString(),
            ["correlation_uid"] = correlation,
            ["original_event_type"] = originalType,
            ["product"] = new JsonObject { ["name"] = "Gatehouse", ["vendor_name"] = "Gatehouse" },
        },
    };

    public static string Line(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
