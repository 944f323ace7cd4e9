using System.Net;
using System.Text.Json.Nodes;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Soc.Exporting;

/// <summary>An OCSF 1.3 event class: its uid (category × 1000 + class) and caption.</summary>
public sealed record OcsfClass(int Uid, string Name)
{
    public static readonly OcsfClass FileSystemActivity = new(1001, "File System Activity");
    public static readonly OcsfClass ProcessActivity = new(1007, "Process Activity");
    public static readonly OcsfClass DetectionFinding = new(2004, "Detection Finding");
    public static readonly OcsfClass AccountChange = new(3001, "Account Change");
    public static readonly OcsfClass Authentication = new(3002, "Authentication");
    public static readonly OcsfClass AuthorizeSession = new(3003, "Authorize Session");
    public static readonly OcsfClass EntityManagement = new(3004, "Entity Management");
    public static readonly OcsfClass UserAccessManagement = new(3005, "User Access Management");
    public static readonly OcsfClass GroupManagement = new(3006, "Group Management");
    public static readonly OcsfClass NetworkActivity = new(4001, "Network Activity");
    public static readonly OcsfClass SshActivity = new(4007, "SSH Activity");

    public int CategoryUid => Uid / 1000;

    public string CategoryName => CategoryUid switch
    {
        1 => "System Activity",
        2 => "Findings",
        3 => "Identity & Access Management",
        _ => "Network Activity",
    };

    /// <summary>
    /// System classes name an actor themselves; finding, identity and network classes take it (and the device) from
    /// the host profile, which the record must then declare. The Base Event has neither.
    /// </summary>
    public bool ActorFromHostProfile => CategoryUid is 2 or 3 or 4;

    public bool HasActor => Uid != 0;
}

/// <summary>OCSF severity_id: denied, refused and blocked access is Medium, a failure Low, the rest Informational.</summary>
public enum OcsfSeverity
{
    Informational = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
}

/// <summary>What one access event is in OCSF: the class and activity, whether it succeeded, how severe, and the class's own attributes.</summary>
public sealed record OcsfMapped(OcsfClass Class, int ActivityId, string Activity, bool Succeeded, OcsfSeverity Severity, JsonObject Attributes,
    string? StatusDetail = null);

/// <summary>
/// Every Gatehouse access event type in the OCSF 1.3 class that describes it, with the attributes that class requires
/// (user for identity classes, device/actor/process or file for system classes, dst_endpoint for network ones).
/// </summary>
public static class OcsfMapping
{
    private const string Gatehouse = "Gatehouse";

    public static OcsfMapped? Map(IAccessEvent accessEvent) => accessEvent switch
    {
        LoginSucceeded e => Logon(e.UserName, true, OcsfSeverity.Informational, null, isMfa: null),
        LoginFailed e => Logon(e.UserName, false, OcsfSeverity.Low, e.Reason.ToString(), isMfa: null),
        MfaFailed e => Logon(e.UserName, false, OcsfSeverity.Low, e.Reason.ToString(), isMfa: true),
        MfaRecoveryCodeUsed e => Logon(e.UserName, true, OcsfSeverity.Low, $"{e.RecoveryCodesLeft} recovery codes left", isMfa: true),
        ApiTokenIssued e => new(OcsfClass.Authentication, 3, "Authentication Ticket", true, OcsfSeverity.Informational,
            new JsonObject { ["user"] = User(e.UserName), ["service"] = new JsonObject { ["name"] = Gatehouse + " API" } }),

        UserCreated e => Account(1, "Create", e.UserName, e.UserId),
        UserEnabled e => Account(2, "Enable", e.UserName, e.UserId),
        PasswordChanged e => Account(3, "Password Change", e.UserName, e.UserId),
        UserDisabled e => Account(5, "Disable", e.UserName, e.UserId),
        UserDeleted e => Account(6, "Delete", e.UserName, e.UserId),
        AccountLocked e => Account(9, "Lock", e.UserName, null, OcsfSeverity.Medium, $"{e.RecentFailures} recent failures, locked until {e.LockedUntil:O}"),
        MfaEnrolled e => Account(10, "MFA Factor Enable", e.UserName, e.UserId),
        MfaRemoved e => Account(11, "MFA Factor Disable", e.UserName, e.UserId),
        // OCSF 1.3 has no activity for these: Other, named.
        AccountUnlocked e => Account(99, "Unlock", e.UserName, null),
        PublicKeyAdded e => Account(99, "Public Key Add", e.UserName, e.UserId, detail: e.Fingerprint),
        PublicKeyRemoved e => Account(99, "Public Key Remove", e.UserName, e.UserId, detail: e.Fingerprint),

        AccessGranted e => Authorize(e.UserName, e.Target, e.Login, true, OcsfSeverity.Informational, null),
        AccessDenied e => Authorize(e.UserName, e.Target, e.Login, false, OcsfSeverity.Medium, $"{e.Reason}: {e.Detail}"),

        UserRolesChanged e => new(OcsfClass.UserAccessManagement, 1, "Assign Privileges", true, OcsfSeverity.Informational,
            new JsonObject { ["user"] = User(e.UserName, e.UserId), ["privileges"] = Strings(e.Roles.Select(r => "role:" + r)) }),
        GrantIssued e => Grant(e.SubjectKind, e.Subject, e.GrantId, e.TargetNames, e.Logins, 1, "Assign Privileges", true,
            OcsfSeverity.Informational, null),
        GrantRevoked e => Grant(e.SubjectKind, e.Subject, e.GrantId, [], [], 2, "Revoke Privileges", true, OcsfSeverity.Informational, e.Reason),
        AccessRequestApproved e => Grant(GrantSubjectKind.User, e.UserName, e.GrantId, [e.Target], [e.Login], 1, "Assign Privileges", true,
            OcsfSeverity.Informational, null),
        AccessRequestDenied e => Grant(GrantSubjectKind.User, e.UserName, null, [e.Target], [e.Login], 1, "Assign Privileges", false,
            OcsfSeverity.Low, e.Reason),
        // Approving one's own request is an attempt at privileges: medium, the others (a race, a lapsed request) low.
        AccessRequestApprovalRefused e => Grant(GrantSubjectKind.User, e.UserName, null, [e.Target], [e.Login], 1, "Assign Privileges", false,
            e.Reason == ApprovalRefusalReason.OwnRequest ? OcsfSeverity.Medium : OcsfSeverity.Low, $"{e.Reason}: {e.Detail}"),

        RoleDefined e => Group(6, "Create", e.RoleId, e.Name, null),
        RoleMemberAdded e => Group(3, "Add User", e.RoleId, e.Role, e.UserName),
        RoleMemberRemoved e => Group(4, "Remove User", e.RoleId, e.Role, e.UserName),

        AccessRequested e => Entity(1, "Create", "Access Request", e.RequestId.ToString(), $"{e.Login}@{e.Target}",
            detail: $"{e.Duration} for {e.UserName}: {e.Reason}"),
        TargetRegistered e => Entity(1, "Create", "Target", e.TargetId.ToString(), e.Name),
        TargetChanged e => Entity(3, "Update", "Target", e.TargetId.ToString(), e.Name),
        TargetRemoved e => Entity(4, "Delete", "Target", e.TargetId.ToString(), e.Name, detail: e.Reason),
        TargetHostKeyPinned e => Entity(3, "Update", "Target Host Key", e.TargetId.ToString(), e.Name, detail: e.Fingerprint),
        // What a target's sshd told the gateway: high when it moved into a known-vulnerable state.
        TargetSshInventoryChanged e => Entity(3, "Update", "Target SSH Inventory", null, e.Target,
            e.Findings.Any(f => f.Vulnerability) && !e.WasVulnerable ? OcsfSeverity.High : OcsfSeverity.Informational,
            $"{e.Server.Version}; {e.Findings.Count} findings: {string.Join(", ", e.Findings.Select(f => f.Code))}"),
        BastionDoctorReported e => Entity(99, "Check", "Bastion", null, e.Host,
            e.Findings.Select(f => (FindingSeverity?)f.Severity).Max() switch
            {
                FindingSeverity.Critical => OcsfSeverity.Critical,
                FindingSeverity.High => OcsfSeverity.High,
                FindingSeverity.Medium => OcsfSeverity.Medium,
                FindingSeverity.Low => OcsfSeverity.Low,
                _ => OcsfSeverity.Informational,
            },
            $"{e.Findings.Count} findings: {string.Join(", ", e.Findings.Select(f => f.Code))}"),
        TargetPostureOverridden e => Entity(3, "Update", "Target Posture Override", null, e.Target, OcsfSeverity.Medium,
            $"sessions allowed until {e.Until:O}: {e.Reason}"),
        TargetCredentialStored e => Entity(1, "Create", "Target Credential", null, $"{e.Login}@{e.Target}", detail: e.Kind),
        TargetCredentialRemoved e => Entity(4, "Delete", "Target Credential", null, $"{e.Login}@{e.Target}"),
        // A short-lived credential made for one session: who, where, until when, and the serial a target's log names.
        UserCertificateIssued e => Entity(1, "Create", "SSH User Certificate", e.Serial.ToString(), $"{e.Login}@{e.Target}",
            detail: $"serial {e.Serial} key id \"{e.KeyId}\" for {e.UserName}, valid {e.ValidAfter:O} to {e.ValidBefore:O}"),
        // A CA key change reaches every target that trusts the CA: medium, so it stands out in a review.
        CertificateAuthorityRotated e => Entity(1, "Create", "SSH Certificate Authority Key", e.NewFingerprint, $"{e.Kind} CA",
            OcsfSeverity.Medium, $"{e.NewFingerprint} signs from {e.SignsFrom:O}, after {e.PreviousFingerprint ?? "no key"}"),
        CertificateAuthorityKeyRetired e => Entity(4, "Delete", "SSH Certificate Authority Key", e.RetiredFingerprint, $"{e.Kind} CA",
            OcsfSeverity.Medium, $"{e.RetiredFingerprint} no longer trusted; {e.SigningFingerprint ?? "no key"} signs"),
        // A login with a certificate a trusted CA signed: the serial and key id name it in the CA's own records.
        UserCertificateAccepted e => Entity(99, "Accept", "SSH User Certificate", e.Serial.ToString(), e.UserName,
            detail: $"serial {e.Serial} key id \"{e.KeyId}\" from CA {e.CaFingerprint}, valid {e.ValidAfter:O} to {e.ValidBefore:O}"),
        CommandPolicyChanged e => Entity(3, "Update", "Command Policy", e.PolicyId.ToString(), e.Name, detail: $"{e.Action} {e.Pattern}"),
        CommandPolicyRemoved e => Entity(4, "Delete", "Command Policy", e.PolicyId.ToString(), e.Name),
        ApiSigningKeyRotated e => Entity(1, "Create", "API Signing Key", e.KeyId, e.KeyId,
            e.PreviousKeysWithdrawn ? OcsfSeverity.Medium : OcsfSeverity.Informational,
            e.PreviousKeysWithdrawn ? "previous keys withdrawn" : null),
        // An administrative write the service refused: the change is the entity, the route's values and the reason the detail.
        AccessChangeRefused e => Entity(99, "Refused Change", "Access Administration", null, e.Change, Refused(e.Reason),
            $"{e.Reason}{(e.Subject is null ? "" : $": {e.Subject}")}", succeeded: false),
        AccountChangeRefused e => Entity(99, "Refused Change", "User Administration", null, e.Change, Refused(e.Reason),
            $"{e.Reason}{(e.UserName is null ? "" : $": user {e.UserName}")}", succeeded: false),
        GatewayChangeRefused e => Entity(99, "Refused Change", "Gateway Administration", null, e.Change, Refused(e.Reason),
            $"{e.Reason}{(e.Subject is null ? "" : $": {e.Subject}")}", succeeded: false),
        AuditChangeRefused e => Entity(99, "Refused Change", "Audit Administration", null, e.Change, Refused(e.Reason),
            $"{e.Reason}{(e.Subject is null ? "" : $": {e.Subject}")}", succeeded: false),
        AuditTrailRead e => Entity(2, "Read", "Audit Trail", null, e.Request, succeeded: e.StatusCode < 400, detail: $"HTTP {e.StatusCode}"),
        // A broken chain is what the verification exists to find: the record of finding it is High.
        AuditChainVerified e => Entity(2, "Read", "Audit Digest Chain", null, $"sealed up to {e.SealedUpToSequence}",
            e.Intact ? OcsfSeverity.Informational : OcsfSeverity.High,
            e.Intact ? $"intact: {e.EventsChecked} events in {e.DigestsChecked} digests" : $"broken: {e.ProblemCount} problems"),
        ConsolePageRead e => Entity(2, "Read", "Console Page", null, e.Query is null ? e.Page : $"{e.Page}?{e.Query}", succeeded: e.StatusCode < 400,
            detail: $"HTTP {e.StatusCode}"),

        SessionStarted e => Ssh(1, "Open", e.Target, e.TargetAddress, true, OcsfSeverity.Informational, null),
        SessionEnded e => Ssh(2, "Close", e.Target, null, true, OcsfSeverity.Informational, e.EndReason.Spelling()),
        SessionTerminated e => Ssh(2, "Close", e.Target, null, true, OcsfSeverity.Low, $"terminated by {e.TerminatedBy}: {e.Reason}"),
        SessionRefused e => Ssh(5, "Refuse", e.Target, null, false, OcsfSeverity.Medium, $"{e.Reason}: {e.Detail}"),
        // The target offered another host key than the pinned one: the gateway did not connect (a possible interception).
        TargetHostKeyMismatched e => Ssh(4, "Fail", e.Target, e.TargetAddress, false, OcsfSeverity.High,
            $"pinned {e.PinnedFingerprint}, offered {e.OfferedFingerprint}"),
        // A forward is a TCP connection from the target to the destination: Network Activity, with the bytes each way on close.
        ForwardingOpened e => Forward(1, "Open", e.Target, e.Kind, e.DestinationHost, e.DestinationPort, true, OcsfSeverity.Informational, null),
        ForwardingClosed e => Forward(2, "Close", e.Target, e.Kind, e.DestinationHost, e.DestinationPort, true, OcsfSeverity.Informational,
            $"{e.EndReason} after {e.Duration}", (e.BytesFromClient, e.BytesToClient)),
        ForwardingRefused e => Forward(5, "Refuse", e.Target, e.Kind, e.DestinationHost, e.DestinationPort, false, OcsfSeverity.Medium,
            $"{e.Reason}: {e.Detail}"),
        SourceAddressThrottled e => new(OcsfClass.NetworkActivity, 5, "Refuse", false, OcsfSeverity.Medium,
            new JsonObject { ["dst_endpoint"] = GatehouseEndpoint(), ["src_endpoint"] = Address(e.Address) },
            $"{e.RecentFailures} recent failures, blocked until {e.BlockedUntil:O}"),
        LoginThrottled e => new(OcsfClass.NetworkActivity, 5, "Refuse", false, OcsfSeverity.Medium,
            new JsonObject { ["dst_endpoint"] = GatehouseEndpoint(), ["src_endpoint"] = Address(e.Address), ["user"] = User(e.UserName) },
            $"{e.RecentFailures} recent {e.Factor} failures for {e.UserName}, blocked from this address until {e.BlockedUntil:O}"),

        CommandExecuted e => Command(e.SessionId, e.Sequence, e.UserName, e.Target, e.CommandLine, true, OcsfSeverity.Informational, null),
        CommandBlocked e => Command(e.SessionId, e.Sequence, e.UserName, e.Target, e.CommandLine, false, OcsfSeverity.Medium,
            $"{e.Action} by policy {e.PolicyName}: {e.BlockedCommand}"),
        SftpFileOperation e => File(e),
        _ => null,
    };

    // A write without the role is an attempt (medium); invalid input or a conflict is a failure (low).
    private static OcsfSeverity Refused(ChangeRefusalReason reason) => reason == ChangeRefusalReason.Forbidden ? OcsfSeverity.Medium : OcsfSeverity.Low;

    private static OcsfMapped Logon(string user, bool succeeded, OcsfSeverity severity, string? detail, bool? isMfa)
    {
        var attributes = new JsonObject { ["user"] = User(user), ["service"] = new JsonObject { ["name"] = Gatehouse } };
        if (isMfa is { } mfa)
        {
            attributes["is_mfa"] = mfa;
        }

        return new(OcsfClass.Authentication, 1, "Logon", succeeded, severity, attributes, detail);
    }

    private static OcsfMapped Account(int activityId, string activity, string user, Guid? userId,
        OcsfSeverity severity = OcsfSeverity.Informational, string? detail = null) =>
        new(OcsfClass.AccountChange, activityId, activity, true, severity, new JsonObject { ["user"] = User(user, userId) }, detail);

    private static OcsfMapped Authorize(string user, string target, string login, bool succeeded, OcsfSeverity severity, string? detail) =>
        new(OcsfClass.AuthorizeSession, 1, "Assign Privileges", succeeded, severity, new JsonObject
        {
            ["user"] = User(user),
            ["privileges"] = Strings([$"login:{login}@{target}"]),
            ["dst_endpoint"] = new JsonObject { ["name"] = target },
        }, detail);

    /// <summary>
    /// A grant names a user (User Access Management) or a role (Group Management: an access role, or an API role, told apart
    /// by the group's type since they may share a name); the privileges are the grant, when there is one, and the targets
    /// and logins it covers.
    /// </summary>
    private static OcsfMapped Grant(GrantSubjectKind kind, string subject, Guid? grantId, IEnumerable<string> targets, IEnumerable<string> logins,
        int activityId, string activity, bool succeeded, OcsfSeverity severity, string? detail)
    {
        var grant = grantId is { } id ? new[] { $"grant:{id:D}" } : [];
        var privileges = Strings(grant.Concat(targets.Select(t => "target:" + t)).Concat(logins.Select(l => "login:" + l)));
        return kind == GrantSubjectKind.User
            ? new(OcsfClass.UserAccessManagement, activityId, activity, succeeded, severity,
                new JsonObject { ["user"] = User(subject), ["privileges"] = privileges }, detail)
            : new(OcsfClass.GroupManagement, activityId, activity, succeeded, severity,
                new JsonObject
                {
                    ["group"] = new JsonObject { ["name"] = subject, ["type"] = kind == GrantSubjectKind.ApiRole ? "API Role" : "Role" },
                    ["privileges"] = privileges,
                }, detail);
    }

    private static OcsfMapped Group(int activityId, string activity, Guid roleId, string role, string? user)
    {
        var attributes = new JsonObject { ["group"] = new JsonObject { ["name"] = role, ["uid"] = roleId.ToString(), ["type"] = "Role" } };
        if (user is not null)
        {
            attributes["user"] = User(user);
        }

        return new(OcsfClass.GroupManagement, activityId, activity, true, OcsfSeverity.Informational, attributes);
    }

    private static OcsfMapped Entity(int activityId, string activity, string type, string? uid, string name,
        OcsfSeverity severity = OcsfSeverity.Informational, string? detail = null, bool succeeded = true)
    {
        var entity = new JsonObject { ["name"] = name, ["type"] = type };
        if (uid is not null)
        {
            entity["uid"] = uid;
        }

        return new(OcsfClass.EntityManagement, activityId, activity, succeeded, severity, new JsonObject { ["entity"] = entity }, detail);
    }

    private static OcsfMapped Ssh(int activityId, string activity, string target, string? targetAddress, bool succeeded, OcsfSeverity severity,
        string? detail)
    {
        var endpoint = new JsonObject { ["name"] = target };
        if (targetAddress is not null)
        {
            AddHostAndPort(endpoint, targetAddress);
        }

        return new(OcsfClass.SshActivity, activityId, activity, succeeded, severity, new JsonObject { ["dst_endpoint"] = endpoint }, detail);
    }

    private static OcsfMapped Forward(int activityId, string activity, string target, ForwardingKind kind, string? host, int? port,
        bool succeeded, OcsfSeverity severity, string? detail, (long FromClient, long ToClient)? bytes = null)
    {
        var attributes = new JsonObject
        {
            ["src_endpoint"] = new JsonObject { ["name"] = target, ["hostname"] = target },
            ["dst_endpoint"] = host is null ? new JsonObject { ["name"] = kind.ToString() } : Address(port is { } p ? $"{(host.Contains(':') ? $"[{host}]" : host)}:{p}" : host),
            ["connection_info"] = new JsonObject { ["protocol_name"] = "tcp", ["direction"] = kind is ForwardingKind.Remote or ForwardingKind.RemoteConnection ? "Inbound" : "Outbound" },
        };
        if (bytes is { } counted)
        {
            // Seen from the destination's side of the target: what the client sent goes out, what it received comes in.
            attributes["traffic"] = new JsonObject { ["bytes_out"] = counted.FromClient, ["bytes_in"] = counted.ToClient, ["bytes"] = counted.FromClient + counted.ToClient };
        }

        return new(OcsfClass.NetworkActivity, activityId, activity, succeeded, severity, attributes, detail);
    }

    /// <summary>
    /// A command runs on the target, as the user's login there: the target is the device. The gateway knows no pid, so
    /// the process is identified by the session and the command's place in it.
    /// </summary>
    private static OcsfMapped Command(Guid sessionId, int sequence, string user, string target, string commandLine, bool succeeded,
        OcsfSeverity severity, string? detail) =>
        new(OcsfClass.ProcessActivity, 1, "Launch", succeeded, severity, new JsonObject
        {
            ["device"] = Device(target),
            ["process"] = new JsonObject { ["uid"] = $"{sessionId:D}/{sequence}", ["cmd_line"] = commandLine, ["user"] = User(user) },
        }, detail);

    private static OcsfMapped File(SftpFileOperation e)
    {
        var (activityId, activity, typeId, type) = e.Operation switch
        {
            SftpOperation.OpenForRead => (2, "Read", 1, "Regular File"),
            SftpOperation.OpenForWrite => (3, "Update", 1, "Regular File"),
            SftpOperation.Remove => (4, "Delete", 1, "Regular File"),
            SftpOperation.Rename => (5, "Rename", 0, "Unknown"),
            SftpOperation.MakeDirectory => (1, "Create", 2, "Folder"),
            SftpOperation.RemoveDirectory => (4, "Delete", 2, "Folder"),
            SftpOperation.SetAttributes => (6, "Set Attributes", 0, "Unknown"),
            SftpOperation.ListDirectory => (2, "Read", 2, "Folder"),
            SftpOperation.CreateSymbolicLink => (1, "Create", 7, "Symbolic Link"),
            SftpOperation.CreateHardLink => (1, "Create", 1, "Regular File"),
            SftpOperation.CopyData => (3, "Update", 1, "Regular File"),
            _ => (99, "Other", 0, "Unknown"),
        };
        var attributes = new JsonObject { ["device"] = Device(e.Target), ["file"] = FileObject(e.Path, typeId, type) };
        if (e.NewPath is { } newPath)
        {
            attributes["file_result"] = FileObject(newPath, typeId, type);
        }

        return new(OcsfClass.FileSystemActivity, activityId, activity, true, OcsfSeverity.Informational, attributes);
    }

    private static JsonObject FileObject(string path, int typeId, string type)
    {
        var name = path.TrimEnd('/').Split('/')[^1];
        return new JsonObject { ["name"] = name.Length > 0 ? name : path, ["path"] = path, ["type_id"] = typeId, ["type"] = type };
    }

    public static JsonObject User(string name, Guid? uid = null)
    {
        var user = new JsonObject { ["name"] = name };
        if (uid is { } id)
        {
            user["uid"] = id.ToString();
        }

        return user;
    }

    /// <summary>A target as a device: Gatehouse knows its name, not what kind of machine it is.</summary>
    private static JsonObject Device(string target) => new() { ["name"] = target, ["hostname"] = target, ["type_id"] = 0, ["type"] = "Unknown" };

    private static JsonObject GatehouseEndpoint() => new() { ["svc_name"] = Gatehouse };

    /// <summary>A network address as an endpoint: an IP address as ip, anything else as hostname.</summary>
    public static JsonObject Address(string address)
    {
        var endpoint = new JsonObject();
        AddHostAndPort(endpoint, address);
        return endpoint;
    }

    /// <summary>"10.0.0.5", "10.0.0.5:22", "[::1]:22" or "db01.internal:22": the address and the port when there is one.</summary>
    private static void AddHostAndPort(JsonObject endpoint, string address)
    {
        if (IPEndPoint.TryParse(address, out var ip))
        {
            endpoint["ip"] = ip.Address.ToString();
            if (ip.Port != 0)
            {
                endpoint["port"] = ip.Port;
            }

            return;
        }

        var colon = address.LastIndexOf(':');
        if (colon > 0 && int.TryParse(address[(colon + 1)..], out var port))
        {
            endpoint["hostname"] = address[..colon];
            endpoint["port"] = port;
        }
        else
        {
            endpoint["hostname"] = address;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
