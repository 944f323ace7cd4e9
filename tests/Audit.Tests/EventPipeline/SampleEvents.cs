using Gatehouse.Contracts;

namespace Gatehouse.Audit.Tests.EventPipeline;

public static class SampleEvents
{
    public static LoginSucceeded LoginSucceeded(string user, string correlationId, DateTimeOffset? at = null) =>
        new(user, "publickey", "SHA256:test", user, "127.0.0.1", correlationId, Guid.CreateVersion7(), at ?? DateTimeOffset.UtcNow);

    public static LoginFailed LoginFailed(string user, string correlationId) =>
        new(user, "password", LoginFailureReason.WrongPassword, null, user, "::1", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    public static CommandExecuted CommandExecuted(string user, string correlationId, int sequence) =>
        new(Guid.Parse(correlationId), sequence, user, "web01", "deploy", $"echo {sequence}", CommandCapture.Exec,
            user, "127.0.0.1", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
}
