using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.EventStore;

namespace Gatehouse.Audit.Soc.Exporting;

/// <summary>
/// Stored events and alerts as OCSF 1.3 events: each access event in the class <see cref="OcsfMapping"/> gives it, with
/// the attributes every class requires (metadata with product and version, time, severity, class, activity and type),
/// the actor, the source where the class has one, and the original event under <c>unmapped</c>; alerts as Detection
/// Findings (2004). An event type with no mapping would be a Base Event (0); a test holds every type to a class.
/// </summary>
public static class Ocsf
{
    public const string Version = "1.3.0";

    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly OcsfClass BaseEvent = new(0, "Base Event");

    public static JsonObject FromEntry(AuditEntry entry)
    {
        var mapped = Read(entry) is { } accessEvent ? OcsfMapping.Map(accessEvent) : null;
        mapped ??= new OcsfMapped(BaseEvent, 99, "Other", true, OcsfSeverity.Informational, []);

        var ocsf = Base(mapped.Class, mapped.ActivityId, mapped.Activity, entry.OccurredAt, entry.Id.ToString(),
            CorrelationIds.Canonical(entry.CorrelationId), entry.Type);
        Status(ocsf, mapped.Succeeded ? 1 : 2, mapped.Succeeded ? "Success" : "Failure", mapped.StatusDetail);
        Severity(ocsf, mapped.Severity);
        ocsf["metadata"]!["logged_time"] = entry.RecordedAt.ToUnixTimeMilliseconds();
        if (mapped.Class.HasActor)
        {
            ocsf["actor"] = new JsonObject { ["user"] = OcsfMapping.User(entry.Actor) };
        }

        foreach (var (name, value) in mapped.Attributes.ToList())
        {
            mapped.Attributes.Remove(name);
            ocsf[name] = value;
        }

        // Identity and network classes have a source endpoint; on a system class (a command, a file on the target) the
        // user's address stays in the original event.
        if (entry.SourceAddress is { } source && mapped.Class.CategoryUid is 3 or 4 && !ocsf.ContainsKey("src_endpoint"))
        {
            ocsf["src_endpoint"] = OcsfMapping.Address(source);
        }

        ocsf["unmapped"] = JsonNode.Parse(entry.Data.GetRawText());
        return ocsf;
    }

    /// <summary>The stored event as its contract type; none when it no longer reads as one (it is then exported as it was kept).</summary>
    private static IAccessEvent? Read(AuditEntry entry)
    {
        try
        {
            return AccessEventTypes.Find(entry.Type) is { } type ? entry.Data.Deserialize(type, EventJson) as IAccessEvent : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An alert as a Detection Finding: raised is Create/New, acknowledged Update/In Progress, resolved Close/Resolved.</summary>
    public static JsonObject FromAlert(AlertView alert)
    {
        var (activityId, activity, statusId, status, detail) = alert.Status switch
        {
            AlertStatus.Open => (1, "Create", 1, "New", null),
            AlertStatus.Acknowledged => (2, "Update", 2, "In Progress", $"acknowledged by {alert.AcknowledgedBy}"),
            _ => (3, "Close", 4, "Resolved", $"resolved by {alert.ResolvedBy}: {alert.Resolution}"),
        };
        var ocsf = Base(OcsfClass.DetectionFinding, activityId, activity, alert.RaisedAt, alert.Id.ToString(), alert.DeduplicationKey, nameof(AlertRaised));
        Status(ocsf, statusId, status, detail);
        Severity(ocsf, alert.Severity switch
        {
            AlertSeverity.Low => OcsfSeverity.Low,
            AlertSeverity.Medium => OcsfSeverity.Medium,
            AlertSeverity.High => OcsfSeverity.High,
            _ => OcsfSeverity.Critical,
        });
        ocsf["finding_info"] = new JsonObject
        {
            ["uid"] = alert.Id.ToString(),
            ["title"] = alert.Title,
            ["created_time"] = alert.RaisedAt.ToUnixTimeMilliseconds(),
            ["analytic"] = new JsonObject { ["name"] = alert.Rule, ["type_id"] = 1, ["type"] = "Rule" },
            ["related_events"] = new JsonArray(alert.TriggeringEventIds.Select(id => (JsonNode)new JsonObject { ["uid"] = id.ToString() }).ToArray()),
        };
        if (alert.RuleId is { } ruleId)
        {
            ocsf["finding_info"]!["analytic"]!["uid"] = ruleId;
        }

        if (AttackTags.Attacks(alert.Tags) is { } attacks)
        {
            ocsf["finding_info"]!["attacks"] = attacks;
        }

        if (alert.Tags.Count > 0)
        {
            ocsf["metadata"]!["labels"] = new JsonArray(alert.Tags.Select(tag => (JsonNode)tag).ToArray());
        }
        if (alert.UserName is { } user)
        {
            ocsf["actor"] = new JsonObject { ["user"] = OcsfMapping.User(user) };
        }

        if (alert.Target is { } target)
        {
            ocsf["device"] = new JsonObject { ["name"] = target, ["hostname"] = target, ["type_id"] = 0, ["type"] = "Unknown" };
        }

        return ocsf;
    }

    private static JsonObject Base(OcsfClass ocsfClass, int activityId, string activity, DateTimeOffset time, string uid, string correlation,
        string eventCode)
    {
        var metadata = new JsonObject
        {
            ["version"] = Version,
            ["uid"] = uid,
            ["correlation_uid"] = correlation,
            ["event_code"] = eventCode,
            ["product"] = new JsonObject { ["name"] = "Gatehouse", ["vendor_name"] = "Gatehouse" },
        };
        if (ocsfClass.ActorFromHostProfile)
        {
            metadata["profiles"] = new JsonArray("host");
        }

        return new JsonObject
        {
            ["class_uid"] = ocsfClass.Uid,
            ["class_name"] = ocsfClass.Name,
            ["category_uid"] = ocsfClass.CategoryUid,
            ["category_name"] = ocsfClass.Uid == 0 ? "Uncategorized" : ocsfClass.CategoryName,
            ["activity_id"] = activityId,
            ["activity_name"] = activity,
            ["type_uid"] = ocsfClass.Uid * 100 + activityId,
            ["type_name"] = $"{ocsfClass.Name}: {activity}",
            ["time"] = time.ToUnixTimeMilliseconds(),
            ["metadata"] = metadata,
        };
    }

    private static void Status(JsonObject ocsf, int statusId, string status, string? detail)
    {
        ocsf["status_id"] = statusId;
        ocsf["status"] = status;
        if (detail is not null)
        {
            ocsf["status_detail"] = detail;
        }
    }

    private static void Severity(JsonObject ocsf, OcsfSeverity severity)
    {
        ocsf["severity_id"] = (int)severity;
        ocsf["severity"] = severity.ToString();
    }

    public static string Line(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
