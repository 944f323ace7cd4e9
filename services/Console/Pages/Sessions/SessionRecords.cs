using System.Security.Claims;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.WebConsole.Pages.Sessions;

/// <summary>
/// Where a person's session pages read from: SOC analysts and administrators the SOC API (every session), anyone else
/// the Audit service's own-sessions API, which answers only with the caller's sessions.
/// </summary>
public static class SessionSource
{
    public static bool SeesAll(ClaimsPrincipal person) => person.IsInRole(GatehousePolicies.SocAnalyst) || person.IsInRole(GatehousePolicies.Admin);

    public static string Sessions(ClaimsPrincipal person) => SeesAll(person) ? "api/audit/sessions" : "api/audit/own/sessions";
}

/// <summary>What one SSH connection negotiated (the gateway records it in SessionStarted).</summary>
public sealed record SshAlgorithmsRecord(string KeyExchange, string Cipher, string HostKey);

public sealed record SessionCommandRecord(int Sequence, string CommandLine, bool Blocked, DateTimeOffset At);

/// <summary>A brokered session as the Audit service's SOC API gives it.</summary>
public sealed record SessionRecord(Guid Id, string UserName, string Target, string Login, string? SourceAddress, string CorrelationId,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<SessionCommandRecord> Commands, long BytesFromClient, long BytesToClient,
    string? RecordingSha256, string? EndReason, int? ExitStatus, string Outcome, SshAlgorithmsRecord? ClientSsh = null, SshAlgorithmsRecord? TargetSsh = null)
{
    /// <summary>
    /// Where a command sits in the recording, in seconds from its start: the recording begins with the session, so
    /// the command's time since the session started (never before 0).
    /// </summary>
    public double SecondsInto(SessionCommandRecord command) => Math.Max(0, Math.Round((command.At - StartedAt).TotalSeconds, 3));
}
