using System.Text.Json.Nodes;

namespace Gatehouse.Audit.Tests.Soc.Exporting;

/// <summary>
/// What OCSF 1.3.0 requires of the records Gatehouse exports, written from the schema's documentation (schema.ocsf.io,
/// version 1.3.0) for the classes and objects Gatehouse uses: each class's required attributes and constraints, each
/// object's required attributes and "at least one of" constraints, the activity ids each class defines, and the host
/// profile that finding, identity and network classes need for an actor or a device.
/// </summary>
public static class Ocsf13
{
    private sealed record ClassRule(string Name, int Activities, string[] Required, string[]? AtLeastOne = null, string[]? JustOne = null,
        bool NativeActor = false, bool NativeDevice = false);

    private sealed record ObjectRule(string[] Required, string[] AtLeastOne);

    // Every class: classification (activity_id, category_uid, class_uid, type_uid), occurrence (time), metadata, severity_id.
    private static readonly string[] BaseRequired = ["activity_id", "category_uid", "class_uid", "type_uid", "time", "metadata", "severity_id"];

    private static readonly Dictionary<int, ClassRule> Classes = new()
    {
        [0] = new("Base Event", 0, []),
        [1001] = new("File System Activity", 14, ["actor", "device", "file"], NativeActor: true, NativeDevice: true),
        [1007] = new("Process Activity", 5, ["actor", "device", "process"], NativeActor: true, NativeDevice: true),
        [2004] = new("Detection Finding", 3, ["finding_info"], NativeDevice: true),
        [3001] = new("Account Change", 11, ["user"], NativeActor: true),
        [3002] = new("Authentication", 6, ["user"], AtLeastOne: ["service", "dst_endpoint"], NativeActor: true),
        [3003] = new("Authorize Session", 2, ["user"], JustOne: ["privileges", "group"]),
        [3004] = new("Entity Management", 13, ["entity"], NativeActor: true),
        [3005] = new("User Access Management", 2, ["user", "privileges"]),
        [3006] = new("Group Management", 6, ["group"]),
        [4001] = new("Network Activity", 7, ["dst_endpoint"]),
        [4007] = new("SSH Activity", 7, ["dst_endpoint"]),
    };

    private static readonly string[] EndpointIds = ["ip", "uid", "name", "hostname", "instance_uid", "interface_uid", "interface_name"];

    private static readonly Dictionary<string, ObjectRule> Objects = new()
    {
        ["metadata"] = new(["product", "version"], []),
        ["product"] = new(["vendor_name"], ["name", "uid"]),
        ["actor"] = new([], ["process", "user", "invoked_by", "session", "app_name", "app_uid"]),
        ["user"] = new([], ["account", "name", "uid"]),
        ["device"] = new(["type_id"], EndpointIds),
        ["network_endpoint"] = new([], [.. EndpointIds, "svc_name"]),
        ["process"] = new([], ["pid", "uid"]),
        ["file"] = new(["name", "type_id"], ["name", "uid"]),
        ["finding_info"] = new(["title", "uid"], []),
        ["analytic"] = new(["type_id"], ["name", "uid"]),
        ["related_event"] = new(["uid"], []),
        ["managed_entity"] = new([], ["name", "uid", "device", "group", "org", "policy", "user"]),
        ["group"] = new([], ["name", "uid"]),
        ["service"] = new([], ["name", "uid"]),
    };

    // Which object each attribute holds, wherever it appears.
    private static readonly Dictionary<string, string> ObjectOf = new()
    {
        ["metadata"] = "metadata", ["product"] = "product", ["actor"] = "actor", ["user"] = "user", ["device"] = "device",
        ["src_endpoint"] = "network_endpoint", ["dst_endpoint"] = "network_endpoint", ["process"] = "process", ["file"] = "file",
        ["file_result"] = "file", ["finding_info"] = "finding_info", ["analytic"] = "analytic", ["related_events"] = "related_event",
        ["entity"] = "managed_entity", ["group"] = "group", ["service"] = "service",
    };

    /// <summary>Everything in the record that OCSF 1.3.0 does not allow; empty when the record is valid.</summary>
    public static IReadOnlyList<string> Problems(JsonObject record)
    {
        var problems = new List<string>();
        var classUid = record["class_uid"]?.GetValue<int>() ?? -1;
        if (!Classes.TryGetValue(classUid, out var rule))
        {
            return [$"class_uid {classUid} is not a class Gatehouse is checked against"];
        }

        foreach (var name in BaseRequired.Concat(rule.Required).Where(name => record[name] is null))
        {
            problems.Add($"{rule.Name}: required attribute {name} is missing");
        }

        if (rule.AtLeastOne is { } any && !any.Any(name => record[name] is not null))
        {
            problems.Add($"{rule.Name}: needs at least one of {string.Join(", ", any)}");
        }

        if (rule.JustOne is { } one && one.Count(name => record[name] is not null) != 1)
        {
            problems.Add($"{rule.Name}: needs exactly one of {string.Join(", ", one)}");
        }

        var activity = record["activity_id"]?.GetValue<int>() ?? -1;
        if (activity is not (0 or 99) && (activity < 1 || activity > rule.Activities))
        {
            problems.Add($"{rule.Name}: activity_id {activity} is not one of its activities");
        }

        if (record["type_uid"]?.GetValue<int>() != classUid * 100L + activity)
        {
            problems.Add($"type_uid must be class_uid * 100 + activity_id ({classUid * 100L + activity})");
        }

        if (record["category_uid"]?.GetValue<int>() != classUid / 1000)
        {
            problems.Add($"category_uid must be {classUid / 1000} for class {classUid}");
        }

        if (record["severity_id"]?.GetValue<int>() is not (>= 0 and <= 6 or 99))
        {
            problems.Add("severity_id must be 0-6 or 99");
        }

        var statuses = classUid == 2004 ? new[] { 0, 1, 2, 3, 4, 99 } : [0, 1, 2, 99];
        if (record["status_id"] is { } status && !statuses.Contains(status.GetValue<int>()))
        {
            problems.Add($"{rule.Name}: status_id {status} is not one of {string.Join(", ", statuses)}");
        }

        if (record["metadata"]?["version"]?.GetValue<string>() != "1.3.0")
        {
            problems.Add("metadata.version must be 1.3.0");
        }

        var profiles = record["metadata"]?["profiles"]?.AsArray().Select(p => p!.GetValue<string>()).ToList() ?? [];
        if ((record["actor"] is not null && !rule.NativeActor || record["device"] is not null && !rule.NativeDevice)
            && (classUid == 0 || !profiles.Contains("host")))
        {
            problems.Add($"{rule.Name}: actor or device needs the host profile in metadata.profiles");
        }

        // The original event under "unmapped" is Gatehouse's, not OCSF's.
        foreach (var (name, value) in record.Where(attribute => attribute.Key != "unmapped"))
        {
            CheckObject(name, value, name, problems);
        }

        return problems;
    }

    private static void CheckObject(string attribute, JsonNode? value, string path, List<string> problems)
    {
        if (value is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                CheckObject(attribute, array[i], $"{path}[{i}]", problems);
            }

            return;
        }

        if (!ObjectOf.TryGetValue(attribute, out var objectName) || value is not JsonObject obj)
        {
            return;
        }

        var rule = Objects[objectName];
        problems.AddRange(rule.Required.Where(name => obj[name] is null).Select(name => $"{path}: required attribute {name} is missing"));
        if (rule.AtLeastOne.Length > 0 && !rule.AtLeastOne.Any(name => obj[name] is not null))
        {
            problems.Add($"{path}: needs at least one of {string.Join(", ", rule.AtLeastOne)}");
        }

        foreach (var (name, child) in obj)
        {
            CheckObject(name, child, $"{path}.{name}", problems);
        }
    }
}
